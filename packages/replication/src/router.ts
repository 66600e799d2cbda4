// The frame router: a bounded inbox drained soon (through the clock), then every frame routed by
// its first 7 bytes (the DMX table: the next entry of a replica, or a WANT for a served log) or, for
// a blob, by its hash (the blob table). 120-byte frames that match nothing yet are parked: they may
// be answers that arrived before the entry they follow.
import { soon, type Face, type PeerId } from '@tinyssb/core'
import { BLOB_BYTES, DMX_BYTES, PACKET_BYTES } from '@tinyssb/packet'
import { BlobTable } from './blob-table.js'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import { dmxKeyOf } from './keys.js'
import { MAX_EXPECTED_BLOBS, MAX_INBOX, PARKING_SLOTS } from './options.js'
import { ParkingLot } from './parking-lot.js'
import { SourceRanks } from './sources.js'

/** A frame with where it came from. */
export interface Inbound extends Source {
  readonly frame: Uint8Array
}

/** A frame that matched nothing yet, kept a little while. */
export interface Parked extends Inbound {
  /** The blob pointer the frame would have as a blob, computed only when a blob is expected. */
  ptr?: string
}

/** Handles a frame whose DMX matched. */
export type FrameHandler = (frame: Uint8Array, src: Source) => Promise<void> | void

/** Limits of a router (defaults: MAX_INBOX, PARKING_SLOTS, MAX_EXPECTED_BLOBS). */
export interface RouterLimits {
  readonly maxInbox?: number
  readonly parkingSlots?: number
  readonly maxExpectedBlobs?: number
}

/** Routes received frames to the handlers armed for their DMX. */
export class FrameRouter {
  readonly #ctx: NodeContext
  readonly #dmx = new Map<string, FrameHandler>()
  readonly #lookups: Array<(frame: Uint8Array) => FrameHandler | undefined> = []
  readonly #parking: ParkingLot<Parked>
  readonly #maxInbox: number
  readonly blobs: BlobTable
  /** What the router learnt about its sources: useful, unknown or suspect. */
  readonly sources: SourceRanks
  #inbox: Inbound[] = []
  /**
   * The frames of the batch being drained that matched nothing when it began, by DMX key: a chain
   * within the batch is followed through them ({@link unpark}) before any is parked. Bounded by the
   * inbox; what no chain took is dispatched in its turn (matched then, or parked).
   */
  readonly #staged = new Map<string, Inbound[]>()
  #stagedCount = 0
  /** Frames waiting in the inbox, per source (face name and peer) and per group of sources (Face.peerGroup). */
  readonly #waiting = new Map<string, number>()
  readonly #groupWaiting = new Map<string, { frames: number; sources: number }>()
  #draining: Promise<void> | undefined
  /** While false, received frames are counted and ignored. */
  running = false

  constructor(ctx: NodeContext, limits: RouterLimits = {}) {
    this.#ctx = ctx
    this.#maxInbox = limits.maxInbox ?? MAX_INBOX
    this.#parking = new ParkingLot<Parked>(limits.parkingSlots ?? PARKING_SLOTS)
    this.blobs = new BlobTable(ctx, this.#parking, limits.maxExpectedBlobs ?? MAX_EXPECTED_BLOBS)
    this.sources = new SourceRanks(ctx.clock)
  }

  /** Arms `handler` for frames starting with the DMX whose key is `dmxKey` (see bkey). */
  on(dmxKey: string, handler: FrameHandler): void {
    this.#dmx.set(dmxKey, handler)
  }

  off(dmxKey: string): void {
    this.#dmx.delete(dmxKey)
  }

  /**
   * Adds a lookup for frames whose DMX matches no armed handler: it may return a handler for the
   * frame (a WANT names the feeds it asks for: one lookup serves every log a node holds, with no
   * DMX computed or armed per log).
   */
  lookup(fn: (frame: Uint8Array) => FrameHandler | undefined): void {
    this.#lookups.push(fn)
  }

  /** The handler armed for `dmxKey`, if any. */
  handlerOf(dmxKey: string): FrameHandler | undefined {
    return this.#dmx.get(dmxKey)
  }

  /**
   * Marks a source as useful: it just delivered a valid entry (or an expected blob). For a while
   * its unmatched frames rank above those of other sources in the parking lot (see SourceRanks).
   */
  vouch(src: Source): void {
    this.sources.vouch(src.face, src.peer)
  }

  /**
   * Takes the oldest frame parked under `dmxKey` (an expectation that was just armed): from the
   * parking lot, else from the batch being drained.
   */
  unpark(dmxKey: string): Parked | undefined {
    return this.#parking.take(dmxKey) ?? this.#unstage(dmxKey)
  }

  /** Takes the first staged frame under `key` (with `frame`: that one), if any. */
  #unstage(key: string, frame?: Uint8Array): Inbound | undefined {
    const list = this.#staged.get(key)
    if (!list) return undefined
    const i = frame ? list.findIndex((p) => p.frame === frame) : 0
    if (i < 0) return undefined
    const [p] = list.splice(i, 1)
    if (list.length === 0) this.#staged.delete(key)
    this.#stagedCount--
    return p
  }

  /**
   * A frame from a face: counted, queued and processed soon, in arrival order. The inbox is
   * bounded, and shared in two levels: a group of sources (Face.peerGroup: on UDP a host, whatever
   * its ports; else each source, a face and peer, is a group) may hold at most maxInbox / (g + 1)
   * waiting frames, g the groups with frames waiting, and a source an even part of its group's
   * share. So a flooding peer, or a host flooding from many ports, leaves room for the others.
   * `count` false: the frame was counted as received already (an entry of a bundle).
   */
  receive(frame: Uint8Array, face: Face, peer: PeerId, count = true): void {
    if (count) this.#ctx.received(face, frame)
    if (!this.running) return
    const src = sourceKey(face, peer)
    const mine = this.#waiting.get(src) ?? 0
    const groupKey = face.peerGroup ? sourceKey(face, face.peerGroup(peer)) : src
    const group = this.#groupWaiting.get(groupKey) ?? { frames: 0, sources: 0 }
    const groups = this.#groupWaiting.size + (group.sources === 0 ? 1 : 0)
    const groupCap = Math.max(1, Math.floor(this.#maxInbox / (groups + 1)))
    const sourceCap = Math.max(1, Math.floor(groupCap / (group.sources + (mine === 0 ? 1 : 0))))
    if (this.#inbox.length >= this.#maxInbox || group.frames >= groupCap || mine >= sourceCap) {
      return this.#ctx.drop('INBOX_FULL', face, peer)
    }
    if (mine === 0) group.sources++
    group.frames++
    this.#groupWaiting.set(groupKey, group)
    this.#waiting.set(src, mine + 1)
    this.#inbox.push({ frame, face, peer })
    // Drain soon, not now: a burst of frames (want-ahead answers) then lands in the inbox together
    // and a chain of entries is checked and written as one batch.
    if (!this.#draining) {
      this.#draining = new Promise<void>((resolve) => soon(this.#ctx.clock, () => void this.#drain().then(resolve)))
    }
  }

  /** Resolves when every frame received so far has been processed. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining
  }

  /** Forgets the frames waiting in the inbox; resolves when the batch in progress is done. */
  async clear(): Promise<void> {
    this.#inbox = []
    this.#waiting.clear()
    this.#groupWaiting.clear()
    await this.#draining
  }

  queues(): { inbox: number; parked: number; expectedBlobs: number } {
    return { inbox: this.#inbox.length, parked: this.#parking.size + this.#stagedCount, expectedBlobs: this.blobs.size }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#inbox.length > 0) {
        const batch = this.#inbox
        this.#inbox = []
        this.#waiting.clear()
        this.#groupWaiting.clear()
        // Entries that do not match yet are staged first: when the entry before them arrives in
        // the same batch (want-ahead answers come in bursts), the chain is appended in one go.
        // Staged, not parked: the answers to several feeds' windows in one batch would overflow
        // the parking lot, whose frames wait for entries of later batches.
        const stagedNow = new Set<Uint8Array>()
        for (const p of batch) {
          if (p.frame.length !== PACKET_BYTES) continue
          const k = dmxKeyOf(p.frame)
          if (this.#dmx.has(k)) continue
          const list = this.#staged.get(k)
          if (list) list.push(p)
          else this.#staged.set(k, [p])
          this.#stagedCount++
          stagedNow.add(p.frame)
        }
        for (const p of batch) {
          try {
            if (!stagedNow.has(p.frame)) await this.#dispatch(p)
            else if (this.#unstage(dmxKeyOf(p.frame), p.frame)) await this.#dispatch(p)
            // else: used in a chain meanwhile
          } catch (err) {
            this.#ctx.drop(dropReasonOf(err), p.face, p.peer)
          }
        }
      }
    } finally {
      this.#draining = undefined
    }
  }

  /**
   * Routes a frame again by its DMX (a handler that took it no longer expects it: the frame is
   * handled, parked or counted like a frame that just arrived, without counting it as received).
   */
  dispatch(p: Inbound): Promise<void> {
    return this.#dispatch(p)
  }

  async #dispatch(p: Inbound): Promise<void> {
    const { frame } = p
    if (frame.length < DMX_BYTES) return this.#ctx.drop('SHORT', p.face, p.peer)
    const k = dmxKeyOf(frame)
    const h = this.#dmx.get(k) ?? this.#lookupHandler(frame)
    if (h) return h(frame, p)
    if (frame.length === BLOB_BYTES) {
      const ptr = this.blobs.match(frame)
      if (ptr !== undefined) {
        this.vouch(p)
        return this.blobs.store(frame, ptr)
      }
    }
    // a 120-byte frame may be an answer that arrived early: kept (and counted as NO_DMX only if it
    // is evicted unused); anything else that matches nothing is dropped now
    if (frame.length === PACKET_BYTES) {
      if (this.#park(k, p)) this.sources.parkedOne(p.face, p.peer)
      return
    }
    this.sources.wasted(p.face, p.peer)
    this.#ctx.drop('NO_DMX', p.face, p.peer)
  }

  #lookupHandler(frame: Uint8Array): FrameHandler | undefined {
    for (const fn of this.#lookups) {
      const h = fn(frame)
      if (h) return h
    }
    return undefined
  }

  /**
   * Keeps a frame that matched nothing, in case its expectation is armed soon (want-ahead,
   * reordering), ranked by its source. False when it was turned away (counted as DUPLICATE or
   * PARKING_REFUSED).
   */
  #park(k: string, p: Inbound): boolean {
    // a copy of a frame parked already (a duplicate on the medium, or an answer asked for twice)
    // is not kept twice: copies would push out frames that are still needed
    if (this.#parking.has(k, p.frame)) {
      this.#ctx.drop('DUPLICATE', p.face, p.peer)
      this.sources.parkedOne(p.face, p.peer) // still a sign that answers beyond the chain come
      return false
    }
    const parked: Parked = { frame: p.frame, face: p.face, peer: p.peer }
    const out = this.#parking.add(k, parked, this.sources.rank(p.face, p.peer))
    if (out === parked) {
      this.sources.wasted(p.face, p.peer)
      this.#ctx.drop('PARKING_REFUSED', p.face, p.peer)
      return false
    }
    if (out) {
      // never matched anything while it was kept
      this.sources.wasted(out.face, out.peer)
      this.#ctx.drop('NO_DMX', out.face, out.peer)
    }
    return true
  }
}

function sourceKey(face: Face, peer: PeerId): string {
  return `${face.name}\n${peer}`
}
