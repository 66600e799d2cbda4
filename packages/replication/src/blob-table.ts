// The blob expectation table: sidechain blobs a node waits for, by pointer. A blob is caught by
// hash, stored, and its successor (the pointer in its last 20 bytes) is expected next.
import { blobPointer, nextBlobPointer } from '@tinyssb/packet'
import type { NodeContext } from './context.js'
import { bkey } from './keys.js'
import { MAX_EXPECTED_BLOBS } from './options.js'
import type { ParkingLot } from './parking-lot.js'

/** What the parking lot must hold for the blob table to look for early blobs in it. */
export interface ParkedBlobCandidate {
  readonly frame: Uint8Array
  /** The blob pointer the frame would have as a blob, computed once when first needed. */
  ptr?: string
}

/** Expected blobs, bounded (the oldest expectation is given up beyond `max`). */
export class BlobTable {
  readonly #table = new Map<string, Uint8Array>() // key → pointer
  /** Blobs being written: not expected again meanwhile (a copy arriving later is not stored twice). */
  readonly #storing = new Set<string>()
  readonly #ctx: NodeContext
  readonly #parking: ParkingLot<ParkedBlobCandidate>
  readonly #max: number

  constructor(ctx: NodeContext, parking: ParkingLot<ParkedBlobCandidate>, max = MAX_EXPECTED_BLOBS) {
    this.#ctx = ctx
    this.#parking = parking
    this.#max = max
  }

  get size(): number {
    return this.#table.size
  }

  /** The key of `blob` when it is expected, else undefined. */
  match(blob: Uint8Array): string | undefined {
    if (this.#table.size === 0) return undefined
    const k = bkey(blobPointer(blob))
    return this.#table.has(k) ? k : undefined
  }

  /**
   * Expects the blob at `ptr` (a no-op without a blob store). A blob held already is skipped and
   * its successor expected; a matching frame waiting in the parking lot is stored at once.
   */
  async expect(ptr: Uint8Array | undefined): Promise<void> {
    const blobs = this.#ctx.blobs
    if (!blobs || !ptr) return
    const k = bkey(ptr)
    if (this.#table.has(k) || this.#storing.has(k)) return
    const have = await blobs.get(ptr).catch(() => undefined)
    if (this.#table.has(k) || this.#storing.has(k)) return
    if (have) return this.expect(nextBlobPointer(have))
    if (this.#table.size >= this.#max) this.#table.delete(this.#table.keys().next().value!) // oldest first
    this.#table.set(k, ptr.slice())
    const p = this.#parking.find((q) => (q.ptr ??= bkey(blobPointer(q.frame))) === k)
    if (p) return this.store(p.frame, k)
  }

  /** Stores an expected blob (`k` from {@link match}) and expects its successor. */
  async store(blob: Uint8Array, k: string): Promise<void> {
    this.#table.delete(k)
    const blobs = this.#ctx.blobs
    if (!blobs) return
    this.#storing.add(k)
    let ptr: Uint8Array
    try {
      ptr = await blobs.put(blob)
    } finally {
      this.#storing.delete(k)
    }
    this.#ctx.stats.blobsStored++
    this.#ctx.events.emit('blob', { ptr })
    await this.expect(nextBlobPointer(blob))
  }
}
