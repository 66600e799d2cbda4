// The replicas of a node: for each followed feed, the DMX of its next entry armed in the router,
// the chain of early answers appended in one store write, and the scheduler's decisions carried out
// (WANT frames encoded and sent, a jittered timer armed).
import type { TimerHandle } from '@tinyssb/core'
import {
  ENTRY_TYPE,
  MAX_SEQ,
  PACKET_BYTES,
  encodeWant,
  entryMid,
  firstBlobPointer,
  nextDmx,
  wantDmx,
  type LogInfo,
  type WantRecord,
} from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import type { FaceProfile } from './faces.js'
import { bkey } from './keys.js'
import { MAX_CHAIN_BATCH } from './options.js'
import type { FrameRouter, Inbound } from './router.js'
import { initialReplica, stepReplica, type Decision, type ReplicaEvent, type ReplicaState, type SchedulerConfig } from './scheduler.js'

interface Replica {
  readonly fid: Uint8Array
  /** The log as the store last reported it (front seq and mid). */
  info: LogInfo
  /** The scheduler's state; its front is info.frontSeq. */
  state: ReplicaState
  dmxKey: string | undefined
  timer: TimerHandle | undefined
}

/** The replicas a node follows, driven by the scheduler. */
export class Replicas {
  readonly #ctx: NodeContext
  readonly #router: FrameRouter
  readonly #faces: readonly FaceProfile[]
  readonly #cfg: SchedulerConfig
  readonly #replicas = new Map<string, Replica>()
  /** While false, timers do nothing. */
  running = false

  constructor(ctx: NodeContext, router: FrameRouter, faces: readonly FaceProfile[], timing: { retryMinMs: number; wantIntervalMs: number }) {
    this.#ctx = ctx
    this.#router = router
    this.#faces = faces
    this.#cfg = { ...timing, faces: faces.map((f) => ({ records: f.records, window: f.window })) }
  }

  get size(): number {
    return this.#replicas.size
  }

  has(fid: Uint8Array): boolean {
    return this.#replicas.has(bkey(fid))
  }

  /** The replica's front seq, or undefined when the feed is not followed. */
  front(fid: Uint8Array): number | undefined {
    return this.#replicas.get(bkey(fid))?.info.frontSeq
  }

  /** Follows a feed whose log holds `info`; starts asking at once when running. */
  add(fid: Uint8Array, info: LogInfo): void {
    const k = bkey(fid)
    if (this.#replicas.has(k)) return
    const r: Replica = { fid: fid.slice(), info, state: initialReplica(info.frontSeq, this.#cfg), dmxKey: undefined, timer: undefined }
    this.#replicas.set(k, r)
    this.#arm(r)
    if (this.running) this.#execute(r, this.#step(r, { type: 'start', at: this.#ctx.clock.now() }))
  }

  /** Starts asking for every replica. */
  start(): void {
    this.running = true
    const at = this.#ctx.clock.now()
    for (const r of this.#replicas.values()) this.#execute(r, this.#step(r, { type: 'start', at }))
  }

  /** Cancels every timer. */
  stop(): void {
    this.running = false
    for (const r of this.#replicas.values()) {
      if (r.timer !== undefined) this.#ctx.clock.clearTimeout(r.timer)
      r.timer = undefined
    }
  }

  /** Arms the DMX of the replica's next entry (none past the last seq). */
  #arm(r: Replica): void {
    if (r.dmxKey) this.#router.off(r.dmxKey)
    r.dmxKey = undefined
    if (r.info.frontSeq >= MAX_SEQ) return
    const k = bkey(nextDmx(r.fid, r.info.frontSeq, r.info.frontMid))
    r.dmxKey = k
    this.#router.on(k, (frame, src) => this.#onEntry(r, frame, src))
  }

  #step(r: Replica, ev: ReplicaEvent): Decision {
    const { state, decision } = stepReplica(this.#cfg, r.state, ev)
    r.state = state
    return decision
  }

  #execute(r: Replica, d: Decision): void {
    if (!this.running) return // a batch that finished after stop() asks for nothing and arms nothing
    if (d.caughtUp) this.#ctx.events.emit('caught-up', { fid: r.fid, seq: r.info.frontSeq })
    if (d.wants.length > 0) {
      const dmx = wantDmx(r.fid)
      for (const w of d.wants) {
        const records: WantRecord[] = []
        for (let s = w.from; s <= w.to; s++) records.push({ fid: r.fid, seq: s })
        this.#ctx.stats.wantsSent++
        void this.#ctx.send(this.#faces[w.face]!.face, encodeWant(dmx, records))
      }
    }
    if (d.timerMs === undefined) return
    const clock = this.#ctx.clock
    if (r.timer !== undefined) clock.clearTimeout(r.timer)
    // a little jitter so nodes started together do not ask in lockstep
    r.timer = clock.setTimeout(() => this.#onTimeout(r), d.timerMs * (0.9 + 0.2 * this.#ctx.random()))
  }

  #onTimeout(r: Replica): void {
    r.timer = undefined
    if (!this.running) return
    this.#execute(r, this.#step(r, { type: 'timeout', at: this.#ctx.clock.now() }))
  }

  /** The replica's next entry arrived: append it with the parked frames that continue its chain. */
  async #onEntry(r: Replica, frame: Uint8Array, src: Source): Promise<void> {
    const ctx = this.#ctx
    if (frame.length !== PACKET_BYTES) return ctx.drop('PACKET_LENGTH', src.face, src.peer)
    // Follow the chain through parked frames by DMX alone (cheap hashing); the store then checks
    // every signature and appends the valid prefix in one write.
    const seq = r.info.frontSeq + 1
    const chain: Inbound[] = [{ frame, face: src.face, peer: src.peer }]
    const mids: Uint8Array[] = []
    let prev = r.info.frontMid
    for (let s = seq; ; s++) {
      const mid = entryMid({ fid: r.fid, seq: s, prev }, chain[chain.length - 1]!.frame)
      mids.push(mid)
      if (chain.length >= MAX_CHAIN_BATCH || s >= MAX_SEQ) break
      const next = this.#router.unpark(bkey(nextDmx(r.fid, s, mid)))
      if (!next) break
      chain.push(next)
      prev = mid
    }
    const before = r.info.frontSeq
    let error: unknown
    if (ctx.logs.appendMany) {
      const res = await ctx.logs.appendMany(r.fid, seq, chain.map((c) => c.frame))
      r.info = res.info
      error = res.error
    } else {
      for (const c of chain) {
        try {
          r.info = await ctx.logs.append(r.fid, r.info.frontSeq + 1, c.frame) // verifies DMX and signature
        } catch (err) {
          error = err
          break
        }
      }
    }
    const appended = r.info.frontSeq - before
    if (appended < chain.length) {
      // the first refused entry is dropped; the ones after it chained on it and are worthless
      const bad = chain[appended]!
      ctx.drop(dropReasonOf(error), bad.face, bad.peer)
    }
    if (appended <= 0) return
    ctx.stats.appended += appended
    const decision = this.#step(r, { type: 'appended', at: ctx.clock.now(), count: appended })
    this.#arm(r)
    for (let i = 0; i < appended; i++) {
      const c = chain[i]!
      this.#router.vouch(c)
      ctx.events.emit('append', { fid: r.fid, seq: before + 1 + i, mid: mids[i]!, source: 'remote', face: c.face.name, peer: c.peer, wire: c.frame })
      if (c.frame[7] === ENTRY_TYPE.CHAIN20) await this.#router.blobs.expect(firstBlobPointer(c.frame.subarray(8, 56)))
    }
    this.#execute(r, decision)
  }
}
