// What the parts of a node share: the host's clock, randomness and stores, the counters and events,
// and the two things every part does — count a drop, send a frame.
import { systemClock, systemRandom, type Clock, type Face, type PeerId, type Random } from '@tinyssb/core'
import type { BlobStore, LogStore } from '@tinyssb/packet'
import type { DropReason } from './drops.js'
import { Emitter, type NodeEvents } from './events.js'
import type { VerifyAhead } from './options.js'
import { countIn, countNodeDrop, countOut, newStats, type NodeStats } from './stats.js'

/** Where a frame came from: the face it arrived on and the peer that face names. */
export interface Source {
  readonly face: Face
  readonly peer: PeerId
}

/** The shared state of one node's parts. */
export interface NodeContext {
  readonly clock: Clock
  readonly random: Random
  readonly logs: LogStore
  readonly blobs: BlobStore | undefined
  /** The store's verifier when it checks signatures ahead of the append (NodeOptions.verifyAhead). */
  readonly verifyAhead: VerifyAhead | undefined
  readonly stats: NodeStats
  readonly events: Emitter<NodeEvents>
  /** Counts a received frame. */
  received(face: Face, frame: Uint8Array): void
  /** Counts a drop (node and face) and emits 'drop'. */
  drop(reason: DropReason, face: Face, peer?: PeerId): void
  /**
   * Sends one frame, best effort, counted: to `to` alone where the face can address it, else to
   * every peer. A frame over the MTU or a failing face is counted as SEND_FAILED, never thrown.
   */
  send(face: Face, frame: Uint8Array, to?: PeerId): Promise<void>
}

/** The context of a node over the host's stores, clock and randomness (system ones by default). */
export function createContext(opts: {
  logs: LogStore
  blobs?: BlobStore | undefined
  clock?: Clock | undefined
  random?: Random | undefined
  verifyAhead?: VerifyAhead | undefined
}): NodeContext {
  const stats = newStats()
  const events = new Emitter<NodeEvents>()
  const ctx: NodeContext = {
    clock: opts.clock ?? systemClock,
    random: opts.random ?? systemRandom,
    logs: opts.logs,
    blobs: opts.blobs,
    verifyAhead: opts.verifyAhead,
    stats,
    events,
    received(face, frame) {
      countIn(stats, face.name, frame.length)
    },
    drop(reason, face, peer) {
      countNodeDrop(stats, face.name, reason)
      events.emit('drop', peer === undefined ? { reason, face: face.name } : { reason, face: face.name, peer })
    },
    async send(face, frame, to) {
      if (frame.length > face.mtu) return ctx.drop('SEND_FAILED', face, to)
      countOut(stats, face.name, frame.length)
      try {
        await (to === undefined ? face.send(frame) : face.send(frame, to))
      } catch {
        ctx.drop('SEND_FAILED', face, to)
      }
    },
  }
  return ctx
}
