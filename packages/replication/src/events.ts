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
   * a remote entry came from.
   */
  append: { fid: Uint8Array; seq: number; mid: Uint8Array; source: 'remote' | 'local'; face?: string; peer?: PeerId }
  /** A replica got nothing new for a whole retransmission round after making progress. */
  'caught-up': { fid: Uint8Array; seq: number }
  /** A sidechain blob was stored. */
  blob: { ptr: Uint8Array }
  /** A frame was dropped (also counted in stats.dropped); `peer` when the frame came from one. */
  drop: { reason: DropReason; face: string; peer?: PeerId }
}
