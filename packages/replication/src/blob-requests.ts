// Asking for missing sidechain blobs (docs/extensions.md "Asking for missing blobs"). A chain20 entry
// appended to a log is checked a grace period later (its blobs normally follow it at once); a chain
// with blobs missing is tracked by its first missing blob and asked for with credit for the rest of
// the chain, retried with backoff (BlobRequestRetry, through the node's clock); each blob stored
// moves the chain along, over blobs held already. A feed's 'caught-up' event waits until every
// chain of the feed is complete. Bounded: MAX_TRACKED_CHAINS chains, MAX_FRESH_CHAINS waiting.
import type { TimerHandle } from '@tinyssb/core'
import {
  BLOB_BYTES,
  BlobRequestRetry,
  ENTRY_TYPE,
  PACKET_BYTES,
  chainStatus,
  decodeBlobRequest,
  nextBlobPointer,
  packBlobRequests,
  type BlobRequestRecord,
} from '@tinyssb/packet'
import type { NodeContext } from './context.js'
import { Emitter, type NodeEvents } from './events.js'
import { BLOB_REQUEST_GRACE_MS, BLOB_STALLED_RETRY_MS, MAX_FRESH_CHAINS, MAX_TRACKED_CHAINS, type BlobRequestOptions } from './extension-options.js'
import type { FaceProfile } from './faces.js'
import { bkey } from './keys.js'
import { padRequest } from './padding.js'
import type { FrameRouter } from './router.js'

/** An incomplete sidechain: its first missing blob and how many blobs follow from there. */
interface Chain {
  readonly fidKey: string
  ptr: Uint8Array
  remaining: number
}

/** A chain20 entry to check once its grace period is over. */
interface Fresh {
  readonly fidKey: string
  readonly payload48: Uint8Array
  readonly at: number
}

type CaughtUp = Pick<NodeEvents, 'caught-up'>

/** The asking side of blob requests. */
export class BlobRequester {
  readonly #ctx: NodeContext
  readonly #router: FrameRouter
  readonly #faces: readonly FaceProfile[]
  readonly #graceMs: number
  readonly #max: number
  readonly #retry: BlobRequestRetry
  /** Incomplete chains by the key of their first missing blob (chains with equal blobs share it). */
  readonly #chains = new Map<string, Chain[]>()
  #tracked = 0
  #fresh: Fresh[] = []
  /** Chains the retry gave up on, by missing blob: asked for again at this time. */
  readonly #stalled = new Map<string, number>()
  /** Per feed: chains not known to be complete (waiting, tracked, or in a log being scanned). */
  readonly #open = new Map<string, number>()
  /** 'caught-up' events waiting for their feed's chains. */
  readonly #gated = new Map<string, NodeEvents['caught-up']>()
  readonly #caughtUp = new Emitter<CaughtUp>()
  #timer: TimerHandle | undefined
  #timerAt = Number.POSITIVE_INFINITY
  /** While false, nothing is asked for and appends are not looked at. */
  running = false
  /** Called when tracked chains fall below half the bound (the start-up scan waits for it). */
  onRoom: (() => void) | undefined
  /**
   * Called for an incomplete chain found while the most chains are tracked: it is not tracked,
   * and its feed should be scanned again once there is room (the scanner does).
   */
  onOverflow: ((fidKey: string) => void) | undefined
  /** Called when a feed's 'caught-up' is held back by chains not known to be complete (the scanner reads its log next). */
  onGated: ((fidKey: string) => void) | undefined

  constructor(ctx: NodeContext, router: FrameRouter, faces: readonly FaceProfile[], opts: BlobRequestOptions) {
    this.#ctx = ctx
    this.#router = router
    this.#faces = faces
    this.#graceMs = Math.max(0, opts.graceMs ?? BLOB_REQUEST_GRACE_MS)
    this.#max = Math.max(1, Math.floor(opts.maxChains ?? MAX_TRACKED_CHAINS))
    this.#retry = new BlobRequestRetry({ maxOutstanding: this.#max, ...opts.retry, random: ctx.random })
    ctx.events.on('append', (ev) => this.#onAppend(ev))
    ctx.events.on('blob', (ev) => void this.#advance(ev.ptr).catch(() => undefined))
    ctx.events.on('caught-up', (ev) => this.#onReplicaCaughtUp(ev))
  }

  /** Chains tracked or waiting for their grace period. */
  get size(): number {
    return this.#tracked + this.#fresh.length
  }

  /** Whether the bound of tracked chains is reached (the start-up scan pauses). */
  get full(): boolean {
    return this.size >= this.#max
  }

  /** Chains of the feed not known to be complete. */
  incomplete(fid: Uint8Array): number {
    return this.#open.get(bkey(fid)) ?? 0
  }

  /** Subscribes to 'caught-up' as the node's users see it: after the feed's chains are complete. */
  onCaughtUp(fn: (ev: NodeEvents['caught-up']) => void): () => void {
    return this.#caughtUp.on('caught-up', fn)
  }

  start(): void {
    this.running = true
    this.#schedule()
  }

  stop(): void {
    this.running = false
    if (this.#timer !== undefined) this.#ctx.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
  }

  /** Marks one more chain (or a log being scanned) of the feed as not known to be complete. */
  open(fidKey: string): void {
    this.#open.set(fidKey, (this.#open.get(fidKey) ?? 0) + 1)
  }

  /** The opposite of {@link open}; the feed's held-back 'caught-up' is emitted when none is left. */
  close(fidKey: string): void {
    const n = (this.#open.get(fidKey) ?? 0) - 1
    if (n > 0) return void this.#open.set(fidKey, n)
    this.#open.delete(fidKey)
    const ev = this.#gated.get(fidKey)
    if (!ev) return
    this.#gated.delete(fidKey)
    this.#caughtUp.emit('caught-up', ev)
  }

  /** Checks the chain of a held chain20 entry now (the start-up scan) and tracks it when incomplete. */
  async checkNow(fidKey: string, payload48: Uint8Array): Promise<void> {
    this.open(fidKey)
    await this.#check({ fidKey, payload48, at: this.#ctx.clock.now() })
  }

  #onReplicaCaughtUp(ev: NodeEvents['caught-up']): void {
    const k = bkey(ev.fid)
    if (!this.#open.has(k)) return this.#caughtUp.emit('caught-up', ev)
    this.#gated.set(k, ev)
    this.onGated?.(k)
  }

  #onAppend(ev: NodeEvents['append']): void {
    if (!this.running || !this.#ctx.blobs) return
    if (!ev.wire) {
      // an emitter without the wire bytes: read the entry back
      void this.#ctx.logs.get(ev.fid, ev.seq).then((wire) => wire && this.#onAppend({ ...ev, wire }), () => undefined)
      return
    }
    if (ev.wire.length !== PACKET_BYTES || ev.wire[7] !== ENTRY_TYPE.CHAIN20) return
    const fidKey = bkey(ev.fid)
    this.open(fidKey)
    if (this.#fresh.length >= MAX_FRESH_CHAINS) void this.#check(this.#fresh.shift()!).catch(() => undefined)
    this.#fresh.push({ fidKey, payload48: ev.wire.slice(8, 56), at: this.#ctx.clock.now() + this.#graceMs })
    this.#schedule()
  }

  #lookup = (ptr: Uint8Array): Promise<Uint8Array | undefined> => this.#ctx.blobs!.get(ptr).catch(() => undefined)

  /** Follows the chain of an entry to its first missing blob; tracks it, or closes it when complete. */
  async #check(c: Fresh): Promise<void> {
    let status
    try {
      status = await chainStatus({ payload48: c.payload48 }, this.#lookup)
    } catch {
      return this.close(c.fidKey) // a chain that cannot be read can never complete
    }
    if (status.complete) return this.close(c.fidKey)
    if (this.#tracked >= this.#max) {
      this.onOverflow?.(c.fidKey) // holds the feed open until it is scanned again
      return this.close(c.fidKey)
    }
    this.#track({ fidKey: c.fidKey, ptr: status.missing, remaining: status.remaining ?? 1 }, this.#ctx.clock.now())
    // the blob may have arrived while the chain was read: its 'blob' event found no chain to move
    if (await this.#lookup(status.missing)) await this.#advance(status.missing)
  }

  #track(c: Chain, now: number): void {
    const k = bkey(c.ptr)
    const list = this.#chains.get(k)
    if (list?.some((o) => o.fidKey === c.fidKey)) return this.close(c.fidKey) // the same chain twice: one
    if (list) list.push(c)
    else this.#chains.set(k, [c])
    this.#tracked++
    if (!this.#stalled.has(k) && !this.#retry.has(c.ptr)) this.#retry.want(c.ptr, c.remaining, now)
    void this.#router.blobs.expect(c.ptr) // so that the answers are taken
    this.#schedule()
  }

  /** Blob `first` is held now: the chains waiting for it move along, over blobs held already. */
  async #advance(first: Uint8Array): Promise<void> {
    let ptr = first
    for (;;) {
      const k = bkey(ptr)
      const list = this.#chains.get(k)
      if (!list) return
      this.#chains.delete(k) // taken: a concurrent call for the same blob finds nothing
      this.#stalled.delete(k)
      const now = this.#ctx.clock.now()
      const blob = await this.#lookup(ptr)
      const next = blob ? nextBlobPointer(blob)?.slice() : undefined
      this.#retry.received(ptr, next, now)
      const remaining = list[0]!.remaining - 1
      if (!next || remaining <= 0) {
        if (next) this.#retry.cancel(next)
        this.#tracked -= list.length
        for (const c of list) this.close(c.fidKey)
        this.#room()
        return
      }
      this.#tracked -= list.length
      for (const c of list) this.#track({ fidKey: c.fidKey, ptr: next, remaining }, now)
      if (!(await this.#lookup(next))) return
      ptr = next
    }
  }

  #room(): void {
    if (this.size < this.#max / 2) this.onRoom?.()
  }

  #schedule(): void {
    if (!this.running) return
    let at = this.#retry.nextDue() ?? Number.POSITIVE_INFINITY
    const f = this.#fresh[0]
    if (f) at = Math.min(at, f.at)
    for (const t of this.#stalled.values()) at = Math.min(at, t)
    if (at === Number.POSITIVE_INFINITY || at >= this.#timerAt) return
    const clock = this.#ctx.clock
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = clock.setTimeout(() => void this.#wake().catch(() => undefined), Math.max(0, at - clock.now()))
  }

  async #wake(): Promise<void> {
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
    if (!this.running) return
    const clock = this.#ctx.clock
    while (this.#fresh.length > 0 && this.#fresh[0]!.at <= clock.now()) await this.#check(this.#fresh.shift()!)
    const now = clock.now()
    for (const [k, until] of this.#stalled) {
      if (until > now) continue
      this.#stalled.delete(k)
      const c = this.#chains.get(k)?.[0]
      if (c) this.#retry.want(c.ptr, c.remaining, now)
    }
    const { send, expired } = this.#retry.due(now)
    for (const p of expired) if (this.#chains.has(bkey(p))) this.#stalled.set(bkey(p), now + BLOB_STALLED_RETRY_MS)
    if (send.length > 0) this.#send(send)
    this.#room()
    this.#schedule()
  }

  /** Sends the records on every face: any holder answers. */
  #send(records: BlobRequestRecord[]): void {
    for (const frame of packBlobRequests(records)) {
      const granted = decodeBlobRequest(frame).granted
      for (const p of this.#faces) {
        this.#ctx.stats.blobRequestsSent++
        void this.#ctx.send(p.face, this.#pad(frame, granted, p))
      }
    }
  }

  /**
   * Pads a request with zero bytes (records that ask for nothing) so that it pays for its answer
   * under the holder's amplification bound: granted × 120 / amplification bytes (padding.ts).
   */
  #pad(frame: Uint8Array, granted: number, p: FaceProfile): Uint8Array {
    return padRequest(frame, granted * BLOB_BYTES, p)
  }
}
