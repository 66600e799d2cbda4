// A tiny typed event emitter (no node:events, so the engine runs anywhere), and the node's events.
import type { PeerId } from '@tinyssb/core'
import type { DropReason } from './drops.js'

export type Listener<T> = (ev: T) => void

export class Emitter<E extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>()

  on<K extends keyof E>(name: K, fn: Listener<E[K]>): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(fn as Listener<never>)
    return () => void set.delete(fn as Listener<never>)
  }

  emit<K extends keyof E>(name: K, ev: E[K]): void {
    const set = this.listeners.get(name)
    if (!set) return
    for (const fn of set) {
      try {
        ;(fn as Listener<E[K]>)(ev)
      } catch {
        // a failing listener must not break the receive path
      }
    }
  }
}

/** Events of a node. */
export interface NodeEvents extends Record<string, unknown> {
  /**
   * An entry was appended to a replica (remote) or published (local). `face` and `peer` name where
   * a remote entry came from; `wire` is the entry's 120 bytes (when the emitter had them at hand).
   */
  append: { fid: Uint8Array; seq: number; mid: Uint8Array; source: 'remote' | 'local'; face?: string; peer?: PeerId; wire?: Uint8Array }
  /**
   * A replica's catch-up delivered and then got no answer for SILENT_ROUNDS rounds in a row (and
   * no front hint says a peer holds more), and every sidechain of its entries is complete (with
   * blob requests on, the event waits for the blobs).
   */
  'caught-up': { fid: Uint8Array; seq: number }
  /**
   * Progress of a feed's replica: at most every PROGRESS_INTERVAL_MS per feed while entries come in,
   * when a front hint raises the target, and when the front reaches the target.
   */
  progress: ProgressEvent
  /**
   * Peers show that one of the node's own feeds goes beyond the node's log: a front hint for a seq
   * past its front, or an entry at front+1. Appending now would fork the feed: recover it first
   * (or force). Advisory: hints are unsigned, so anyone can raise it.
   */
  'own-feed-behind': OwnFeedBehindEvent
  /** A sidechain blob was stored. */
  blob: { ptr: Uint8Array }
  /** A frame was dropped (also counted in stats.dropped); `peer` when the frame came from one. */
  drop: { reason: DropReason; face: string; peer?: PeerId }
}

/** The `progress` event. */
export interface ProgressEvent {
  readonly fid: Uint8Array
  /** Seq of the last entry held. */
  readonly front: number
  /** The largest seq a pending front hint claims (unverified), when one is known. */
  readonly target: number | undefined
  /** target − front when a target is known, else 0. */
  readonly behind: number
  /** Entries appended per second over the last few seconds. */
  readonly rate: number
}

/** The `own-feed-behind` event. */
export interface OwnFeedBehindEvent {
  readonly fid: Uint8Array
  /** The own log's front. */
  readonly front: number
  /** The seq peers claim (a hint) or hold (an entry). */
  readonly seq: number
  readonly source: 'hint' | 'entry'
  /**
   * An entry at a seq the log holds already, with other bytes: a fork of the feed that exists
   * already (the log's front moved without a publish, or someone else signs with the key).
   */
  readonly fork: boolean
  readonly face: string
  readonly peer: PeerId
}
