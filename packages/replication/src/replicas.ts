// The replicas of a node: for each followed feed, the DMX of its next entry armed in the router,
// answers appended in batches through the pipeline (append-pipeline.ts), and the scheduler's
// decisions carried out: WANT records queued for shared, paced frames (want-queue.ts) and a
// jittered timer. Feeds are followed lazily: a node keeps only the ids of feeds it has not loaded
// yet, and reads their log headers in the background while the WANT queue has room, so a node
// with thousands of feeds starts at once and asks at the pace of its faces.
import { soon } from '@tinyssb/core'
import { ENTRY_TYPE, MAX_SEQ, firstBlobPointer, nextDmxLatin1, type LogInfo } from '@tinyssb/packet'
import { onEntry, type Appended, type PipelineHost, type Replica } from './append-pipeline.js'
import type { NodeContext } from './context.js'
import type { FaceProfile } from './faces.js'
import { bkey, unkey } from './keys.js'
import { EAGER_REPLICAS, LIVE_WANT_RECORDS, MIN_SHARED_WINDOW, SHARED_WANT_AHEAD } from './options.js'
import type { FrameRouter } from './router.js'
import { base, sendsCopies } from './scheduler-asks.js'
import { initialReplica, stepReplica, type Decision, type ReplicaEvent, type ReplicaState, type SchedulerConfig } from './scheduler.js'
import { TimerHeap } from './timer-heap.js'
import type { WantQueue } from './want-queue.js'

/** Replicas loaded per background step (then the loader yields to the clock). */
const LOAD_STEP = 32
/** How long the loader waits for room in the WANT queue before it looks again. */
const LOAD_WAIT_MS = 50

/** The replicas a node follows, driven by the scheduler. */
export class Replicas implements PipelineHost {
  readonly ctx: NodeContext
  readonly router: FrameRouter
  readonly #cfg: SchedulerConfig
  /** Replicas in catch-up mode: they share SHARED_WANT_AHEAD per face (see {@link #cfgNow}). */
  readonly #catchingUp = new Set<Replica>()
  /** The configuration with shared windows last made, and its share (it changes as replicas catch up or not). */
  #shared: { share: number; cfg: SchedulerConfig } | undefined
  readonly #queue: WantQueue
  readonly #replicas = new Map<string, Replica>()
  /** Feeds followed but not loaded yet, oldest first (only their keys are kept: the ids are made on loading). */
  #waiting: string[] = []
  readonly #waitingKeys = new Set<string>()
  /** Replicas with batches in the pipeline. */
  readonly #busy = new Set<Replica>()
  /** The replicas' timers: one clock timer for all. */
  readonly #timers: TimerHeap<Replica>
  #loading = false
  /**
   * The ask order: each time a replica queues WANT records it takes the next number (its `round`).
   * `#answered` is the highest round of a replica an answer arrived for, `#answers` counts the
   * answers: a replica whose timer fires while answers keep coming, all to rounds before its own,
   * waits behind them (a peer answers in the order it was asked) instead of asking again.
   */
  #round = 0
  #answered = 0
  #answers = 0
  /** While false, timers do nothing. */
  running = false

  constructor(ctx: NodeContext, router: FrameRouter, faces: readonly FaceProfile[], timing: Omit<SchedulerConfig, 'faces'>, queue: WantQueue) {
    this.ctx = ctx
    this.router = router
    this.#queue = queue
    this.#timers = new TimerHeap<Replica>(ctx.clock, (r) => this.#onTimeout(r))
    this.#cfg = { ...timing, faces: faces.map((f) => ({ records: f.records, window: f.window })) }
  }

  /** Feeds followed, loaded or not. */
  get size(): number {
    return this.#replicas.size + this.#waitingKeys.size
  }

  has(fid: Uint8Array): boolean {
    const k = bkey(fid)
    return this.#replicas.has(k) || this.#waitingKeys.has(k)
  }

  /** The replica's front seq, or undefined when the feed is not followed (or not loaded yet). */
  front(fid: Uint8Array): number | undefined {
    return this.#replicas.get(bkey(fid))?.front
  }

  /** Follows a feed whose log holds `info`; starts asking at once when running. */
  add(fid: Uint8Array, info: LogInfo): void {
    this.#add(fid.slice(), bkey(fid), info)
  }

  /** add() of a feed id the replicas own already (`fid` is kept, not copied) and its key. */
  #add(fid: Uint8Array, k: string, info: LogInfo): void {
    if (this.#replicas.has(k)) return
    this.#waitingKeys.delete(k)
    const mid = info.frontMid.slice() // never changed in place: front and tail share it
    const r: Replica = {
      fid,
      key: k,
      front: info.frontSeq,
      frontMid: mid,
      written: info.frontSeq,
      writtenMid: mid,
      tail: info.frontSeq,
      tailMid: mid,
      state: initialReplica(info.frontSeq, this.#cfg),
      dmxKey: undefined,
      due: undefined,
      source: undefined,
      heardMark: 0,
      round: 0,
      firstAsks: undefined,
      answersMark: 0,
      waiting: [],
      wake: undefined,
      step: undefined,
      last: undefined,
    }
    this.#replicas.set(k, r)
    this.arm(r)
    if (this.running) this.#execute(r, this.#step(r, { type: 'start', at: this.ctx.clock.now() }))
  }

  /** Follows a feed lazily: its log header is read when its turn comes (`k`: its {@link bkey}, if known). */
  follow(fid: Uint8Array, k = bkey(fid)): void {
    if (this.#replicas.has(k) || this.#waitingKeys.has(k)) return
    this.#waiting.push(k)
    this.#waitingKeys.add(k)
    if (this.running) this.#loadSoon()
  }

  /** Starts asking: the replicas loaded so far and the first `eager` waiting ones now, the rest in the background. */
  async start(eager = EAGER_REPLICAS): Promise<void> {
    this.running = true
    this.#queue.running = true
    const at = this.ctx.clock.now()
    for (const r of this.#replicas.values()) this.#execute(r, this.#step(r, { type: 'start', at }))
    await this.#load(eager)
    this.#loadSoon()
  }

  /** Cancels every timer and forgets the WANT records not sent yet. */
  stop(): void {
    this.running = false
    this.#queue.running = false
    this.#queue.clear()
    this.#timers.clear()
    for (const r of this.#replicas.values()) r.due = undefined
  }

  /** A peer says it holds `fid` up to `seq` (0: no pending hint any more). */
  hint(fid: Uint8Array, seq: number): void {
    const r = this.#replicas.get(bkey(fid))
    if (r && this.running) this.#execute(r, this.#step(r, { type: 'hint', at: this.ctx.clock.now(), seq }))
  }

  /** Resolves when no batch waits for the store. */
  async idle(): Promise<void> {
    while (this.#busy.size > 0) await Promise.all([...this.#busy].map((r) => r.last))
  }

  /** Whether a batch waits for the store. */
  get busy(): boolean {
    return this.#busy.size > 0
  }

  /** Arms the DMX after the replica's tail (none past the last seq). */
  arm(r: Replica): void {
    if (r.dmxKey) this.router.off(r.dmxKey)
    r.dmxKey = undefined
    if (r.tail >= MAX_SEQ) return
    const k = nextDmxLatin1(r.fid, r.tail, r.tailMid)
    r.dmxKey = k
    this.router.on(k, async (frame, src) => {
      await onEntry(this, r, frame, src)
      if (r.last) this.#watch(r)
    })
  }

  received(r: Replica): void {
    this.#answer(r, r.tail)
    this.#execute(r, this.#step(r, { type: 'received', at: this.ctx.clock.now(), upTo: r.tail }))
  }

  async appended(r: Replica, a: Appended): Promise<void> {
    const ctx = this.ctx
    ctx.stats.appended += a.count
    const decision = this.#step(r, { type: 'appended', at: ctx.clock.now(), count: a.count })
    const src = a.chain[a.count - 1]!
    if (r.source?.face !== src.face || r.source.peer !== src.peer) {
      r.source = { face: src.face, peer: src.peer }
      r.heardMark = this.router.sources.parkedFrom(src.face, src.peer)
    }
    for (let i = 0; i < a.count; i++) {
      const c = a.chain[i]!
      this.router.vouch(c)
      ctx.events.emit('append', { fid: r.fid, seq: a.before + 1 + i, mid: a.mids[i]!, source: 'remote', face: c.face.name, peer: c.peer, wire: c.frame })
      if (c.frame[7] === ENTRY_TYPE.CHAIN20) await this.router.blobs.expect(firstBlobPointer(c.frame.subarray(8, 56)))
    }
    this.#execute(r, decision)
  }

  /** Keeps `r` in the busy set until its pipeline is empty. */
  #watch(r: Replica): void {
    if (this.#busy.has(r)) return
    this.#busy.add(r)
    const settle = (): void => {
      if (r.last) void r.last.then(settle)
      else this.#busy.delete(r)
    }
    void r.last!.then(settle)
  }

  /** Loads up to `n` waiting replicas (reads their log headers) and starts them. */
  async #load(n: number): Promise<void> {
    for (let i = 0; i < n && this.#waiting.length > 0 && this.running; i++) {
      const k = this.#waiting.shift()!
      if (!this.#waitingKeys.has(k)) continue // loaded by track() meanwhile
      const fid = unkey(k) // the replica keeps it
      const info = await this.ctx.logs.info(fid).catch(() => undefined)
      if (info) this.#add(fid, k, info)
      else this.#waitingKeys.delete(k)
    }
    if (this.#waiting.length === 0) this.#waiting = []
  }

  /** Loads the waiting replicas in the background, as the WANT queue has room for their first asks. */
  #loadSoon(): void {
    if (this.#loading || this.#waiting.length === 0 || !this.running) return
    this.#loading = true
    const step = async (): Promise<void> => {
      const perReplica = LIVE_WANT_RECORDS * Math.max(1, this.#cfg.faces.length)
      const n = Math.min(LOAD_STEP, Math.floor(this.#queue.room() / 2 / perReplica))
      if (n > 0) await this.#load(n)
      if (this.#waiting.length === 0 || !this.running) {
        this.#loading = false
        return
      }
      if (n > 0) soon(this.ctx.clock, () => void step())
      else this.ctx.clock.setTimeout(() => void step(), LOAD_WAIT_MS)
    }
    soon(this.ctx.clock, () => void step())
  }

  /**
   * The scheduler's configuration for a step now: while more replicas catch up at once than
   * SHARED_WANT_AHEAD holds windows of, each face's window is their even share of it (at least
   * MIN_SHARED_WINDOW): the answers in flight stay within what the receive path holds.
   */
  #cfgNow(): SchedulerConfig {
    const share = Math.max(MIN_SHARED_WINDOW, Math.floor(SHARED_WANT_AHEAD / Math.max(1, this.#catchingUp.size)))
    if (this.#cfg.faces.every((f) => f.window <= share)) return this.#cfg
    if (this.#shared?.share !== share) {
      const faces = this.#cfg.faces.map((f) => ({ records: f.records, window: Math.min(f.window, share), copies: sendsCopies(f) }))
      this.#shared = { share, cfg: { ...this.#cfg, faces } }
    }
    return this.#shared.cfg
  }

  #step(r: Replica, ev: ReplicaEvent): Decision {
    const { state, decision } = stepReplica(this.#cfgNow(), r.state, ev)
    if (state.mode === 'catchup') this.#catchingUp.add(r)
    else {
      this.#catchingUp.delete(r)
      r.firstAsks = undefined // at the live edge nothing is kept (see #asked)
    }
    // the scheduler is pure (a new state per step): the replica keeps one state object (its own,
    // from initialReplica) and takes the new values, so the state a step makes dies young instead
    // of reaching the old generation as garbage when the next step replaces it
    if (state !== r.state) keepState(r.state, state)
    return decision
  }

  /**
   * Answers for `r` up to seq `upTo` arrived (counted once, as they join the append pipeline): they
   * answer the round that first asked for `upTo` (or a later one).
   */
  #answer(r: Replica, upTo: number): void {
    this.#answers++
    const round = this.#roundOf(r, upTo)
    if (round > this.#answered) this.#answered = round
  }

  /** The round that first asked `r` for `seq` (its last round for a seq it has no record of). */
  #roundOf(r: Replica, seq: number): number {
    const f = r.firstAsks
    if (!f) return r.round
    let i = 0
    while (i < f.length && f[i]! < seq) i += 2
    return i < f.length ? f[i + 1]! : r.round
  }

  /** Notes the round of the seqs `r` asked for the first time just now (and forgets those at or below its front). */
  #asked(r: Replica): void {
    r.round = ++this.#round
    // at the live edge (a WANT of two records now and then) nothing is kept: its answers count as
    // answers to its last round, and a node may follow thousands of feeds there. A catch-up starts
    // with nothing kept (#step forgets it all when the replica goes live, as the scheduler does).
    if (r.state.mode === 'live') return
    const upTo = r.state.requestedUpTo
    const f = r.firstAsks
    let drop = 0
    while (f && drop < f.length && f[drop]! <= r.front) drop += 2
    if (drop > 0) f!.splice(0, drop)
    const last = f && f.length > 0 ? f[f.length - 2]! : r.front
    // a few numbers per replica catching up (a literal of two first: no spare capacity)
    if (upTo > last) {
      if (f && f.length > 0) f.push(upTo, r.round)
      else r.firstAsks = [upTo, r.round]
    } else if (f && f.length === 0) r.firstAsks = undefined
  }

  #execute(r: Replica, d: Decision): void {
    if (!this.running) return // a batch that finished after stop() asks for nothing and arms nothing
    if (d.caughtUp) this.ctx.events.emit('caught-up', { fid: r.fid, seq: r.front })
    for (const w of d.wants) this.#queue.add(w.face, r.fid, w.from, w.to, w.again === true)
    if (d.wants.length > 0) this.#asked(r)
    if (d.timerMs === undefined) return
    r.answersMark = this.#answers
    // a little jitter so nodes started together do not ask in lockstep (never early: what is
    // overdue at the timer was asked at least the nominal time ago)
    this.#timers.set(r, d.timerMs * (1 + 0.2 * this.ctx.random()))
  }

  #onTimeout(r: Replica): void {
    if (!this.running) return
    let heard = false
    if (r.source) {
      const n = this.router.sources.parkedFrom(r.source.face, r.source.peer)
      heard = n > r.heardMark
      r.heardMark = n
    }
    // answers came since the timer was armed, none yet to the round that first asked for the
    // replica's head: it waits behind them (the scheduler waits so at most a want interval)
    const queued = this.#answers > r.answersMark && this.#answered < this.#roundOf(r, base(r.state) + 1)
    this.#execute(r, this.#step(r, { type: 'timeout', at: this.ctx.clock.now(), heard, ...(queued ? { queued } : {}) }))
  }
}

/** Copies state `from` into the replica's own `to`, its arrays too (they are the replica's alone). */
function keepState(to: ReplicaState, from: ReplicaState): void {
  const { askedAt, asks } = to
  Object.assign(to, from)
  const own = to as { askedAt: readonly number[]; asks: readonly number[] }
  if (from.askedAt !== askedAt) own.askedAt = refill(askedAt as number[], from.askedAt)
  if (from.asks !== asks) own.asks = refill(asks as number[], from.asks)
}

function refill(a: number[], b: readonly number[]): number[] {
  a.length = b.length
  for (let i = 0; i < b.length; i++) a[i] = b[i]!
  return a
}
