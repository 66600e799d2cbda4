// The WANT server: answers WANTs for the logs a node holds with the entries' 120 wire bytes (and the
// blobs of chain20 entries), rate limited per face, without sending the same entry twice on a
// face within SERVE_DEDUP_MS.
import type { Face } from '@tinyssb/core'
import { ENTRY_TYPE, decodeWant, firstBlobPointer, nextBlobPointer, wantDmx, type WantRecord } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import type { FaceProfile } from './faces.js'
import { bkey } from './keys.js'
import { MAX_BLOBS_PER_ENTRY, MAX_WANT_RECORDS, SERVE_DEDUP_MS } from './options.js'
import { TokenBucket } from './rate-limit.js'
import type { FrameRouter } from './router.js'

/** Serves WANTs for the logs registered with {@link WantServer.serve}. */
export class WantServer {
  readonly #ctx: NodeContext
  readonly #router: FrameRouter
  readonly #faces: Map<Face, FaceProfile>
  readonly #served = new Set<string>()
  readonly #buckets = new Map<Face, TokenBucket>()
  readonly #recentlySent = new Map<Face, Map<string, number>>()

  constructor(ctx: NodeContext, router: FrameRouter, faces: readonly FaceProfile[]) {
    this.#ctx = ctx
    this.#router = router
    this.#faces = new Map(faces.map((f) => [f.face, f]))
  }

  /** Answers WANTs for `fid` from now on. */
  serve(fid: Uint8Array): void {
    const k = bkey(fid)
    if (this.#served.has(k)) return
    this.#served.add(k)
    this.#router.on(bkey(wantDmx(fid)), (frame, src) => this.#onWant(frame, src))
  }

  async #onWant(frame: Uint8Array, src: Source): Promise<void> {
    const { face } = src
    let want
    try {
      want = decodeWant(frame, MAX_WANT_RECORDS)
    } catch (err) {
      return this.#ctx.drop(dropReasonOf(err), face, src.peer)
    }
    for (const rec of want.records) {
      if (!this.#served.has(bkey(rec.fid))) continue // a log we do not hold
      const wire = await this.#ctx.logs.get(rec.fid, rec.seq)
      if (!wire) continue
      if (this.#sentRecently(face, rec)) continue
      if (!this.#bucket(face).take()) return this.#ctx.drop('RATE_LIMITED', face, src.peer)
      this.#ctx.stats.entriesServed++
      void this.#ctx.send(face, wire)
      if (wire[7] === ENTRY_TYPE.CHAIN20) await this.#serveBlobs(face, firstBlobPointer(wire.subarray(8, 56)))
    }
  }

  async #serveBlobs(face: Face, ptr: Uint8Array | undefined): Promise<void> {
    const blobs = this.#ctx.blobs
    for (let i = 0; blobs && ptr && i < MAX_BLOBS_PER_ENTRY; i++) {
      const blob = await blobs.get(ptr).catch(() => undefined)
      if (!blob || !this.#bucket(face).take()) return
      this.#ctx.stats.blobsServed++
      void this.#ctx.send(face, blob)
      ptr = nextBlobPointer(blob)
    }
  }

  #bucket(face: Face): TokenBucket {
    let b = this.#buckets.get(face)
    if (!b) {
      const p = this.#faces.get(face)!
      this.#buckets.set(face, (b = new TokenBucket(p.serveRate, p.serveBurst, this.#ctx.clock)))
    }
    return b
  }

  #sentRecently(face: Face, rec: WantRecord): boolean {
    let m = this.#recentlySent.get(face)
    if (!m) this.#recentlySent.set(face, (m = new Map()))
    const k = bkey(rec.fid) + rec.seq
    const now = this.#ctx.clock.now()
    const t = m.get(k)
    if (t !== undefined && now - t < SERVE_DEDUP_MS) return true
    m.delete(k)
    m.set(k, now)
    if (m.size > 4 * MAX_WANT_RECORDS) m.delete(m.keys().next().value!) // bounded, oldest first
    return false
  }
}
