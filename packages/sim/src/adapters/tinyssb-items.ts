// What a simulated tinySSB node holds of each origin's items: an item is held when its entry is in
// the replica AND, for a chain20 entry, every blob of its sidechain is in the node's blob store
// (chainStatus of @tinyssb/packet). Incomplete chains wait on their first missing blob: each blob
// the node stores re-checks only the chains waiting on it.
import { chainStatus, ENTRY_TYPE, PAYLOAD_BYTES, toHex, type BlobStore } from '@tinyssb/packet'

/** The payload of a 120-byte entry wire when it is a chain20 entry with blobs, else undefined. */
function chainPayload(wire: Uint8Array): Uint8Array | undefined {
  return wire[7] === ENTRY_TYPE.CHAIN20 ? wire.slice(8, 8 + PAYLOAD_BYTES) : undefined
}

interface Waiting {
  readonly origin: string
  readonly seq: number
  readonly payload48: Uint8Array
}

/** Held items of one node, per origin; `held(origin, seq)` is called once an item is complete. */
export class HeldItems {
  readonly #blobs: Pick<BlobStore, 'get' | 'has'>
  readonly #held: (origin: string, seq: number) => void
  /** Entries in the replica (contiguous from 1). */
  readonly #fronts = new Map<string, number>()
  /** Per origin, the seqs whose entry is held but not yet all their blobs. */
  readonly #incomplete = new Map<string, Set<number>>()
  /** Chains by the hex pointer of their first missing blob. */
  readonly #waiting = new Map<string, Waiting[]>()
  readonly #checks = new Set<Promise<void>>()

  constructor(blobs: Pick<BlobStore, 'get' | 'has'>, held: (origin: string, seq: number) => void) {
    this.#blobs = blobs
    this.#held = held
  }

  /** An entry of `origin` was appended to the node's replica (`wire`: its 120 bytes). */
  entry(origin: string, seq: number, wire: Uint8Array | undefined): void {
    this.#fronts.set(origin, Math.max(this.#fronts.get(origin) ?? 0, seq))
    const payload48 = wire && chainPayload(wire)
    if (!payload48) {
      this.#held(origin, seq)
      return
    }
    let s = this.#incomplete.get(origin)
    if (!s) this.#incomplete.set(origin, (s = new Set()))
    s.add(seq)
    this.#track(this.#check({ origin, seq, payload48 }))
  }

  /** The node stored the blob at `ptr`: the chains waiting on it are checked again. */
  blob(ptr: Uint8Array): void {
    const key = toHex(ptr)
    const list = this.#waiting.get(key)
    if (!list) return
    this.#waiting.delete(key)
    for (const w of list) this.#track(this.#check(w))
  }

  /** Whether the entry `seq` of `origin` and all its blobs are held. */
  holds(origin: string, seq: number): boolean {
    return (this.#fronts.get(origin) ?? 0) >= seq && !(this.#incomplete.get(origin)?.has(seq) ?? false)
  }

  /** Resolves when no check is under way (checks only await the blob store). */
  async settled(): Promise<void> {
    while (this.#checks.size > 0) await Promise.all(this.#checks)
  }

  get busy(): boolean {
    return this.#checks.size > 0
  }

  #track(p: Promise<void>): void {
    this.#checks.add(p)
    void p.finally(() => this.#checks.delete(p))
  }

  async #check(w: Waiting): Promise<void> {
    for (;;) {
      let status
      try {
        status = await chainStatus({ payload48: w.payload48 }, (p) => this.#blobs.get(p))
      } catch {
        return // a chain that cannot be read (a corrupt blob) stays incomplete
      }
      if (status.complete) {
        this.#incomplete.get(w.origin)?.delete(w.seq)
        this.#held(w.origin, w.seq)
        return
      }
      // Wait on the missing blob; if it arrived while the chain was being walked, walk again
      // (unless the blob event took the chain already: it checks it itself).
      const key = toHex(status.missing)
      let list = this.#waiting.get(key)
      if (!list) this.#waiting.set(key, (list = []))
      list.push(w)
      if (!(await this.#blobs.has(status.missing))) return
      const now = this.#waiting.get(key)
      const i = now?.indexOf(w) ?? -1
      if (i < 0) return
      now!.splice(i, 1)
      if (now!.length === 0) this.#waiting.delete(key)
    }
  }
}
