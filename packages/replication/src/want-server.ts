// The WANT server: answers WANTs for the logs a node holds with the entries' 120 wire bytes (and the
// blobs of chain20 entries), sent to the peer that asked. Each face's serve budget is shared fairly
// by the peers asking on it; the same entry is not sent twice to one peer (on a broadcast face: on
// the face) within SERVE_DEDUP_MS. Every table is bounded: peers beyond MAX_PEERS_PER_FACE evict
// the least recently heard.
import type { Face, PeerId } from '@tinyssb/core'
import { ENTRY_TYPE, decodeWant, firstBlobPointer, nextBlobPointer, wantDmx, type WantRecord } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import type { FaceProfile } from './faces.js'
import { bkey } from './keys.js'
import { LruMap } from './lru.js'
import { MAX_BLOBS_PER_ENTRY, MAX_PEERS_PER_FACE, MAX_WANT_RECORDS, PEER_ACTIVE_MS, SERVE_DEDUP_MS } from './options.js'
import { FaceBudget } from './rate-limit.js'
import type { FrameRouter } from './router.js'

/** Entries sent recently to one peer (or on one broadcast face), by fid and seq: when. */
type Recent = Map<string, number>

/** Limits of a WANT server (defaults: MAX_PEERS_PER_FACE, PEER_ACTIVE_MS, SERVE_DEDUP_MS). */
export interface ServeLimits {
  readonly maxPeersPerFace?: number
  readonly peerActiveMs?: number
  readonly dedupMs?: number
}

interface FaceServe {
  readonly budget: FaceBudget
  /** By peer on an addressable face; one entry ('*') on a broadcast face. */
  readonly recent: LruMap<PeerId, Recent>
}

/** Serves WANTs for the logs registered with {@link WantServer.serve}. */
export class WantServer {
  readonly #ctx: NodeContext
  readonly #router: FrameRouter
  readonly #faces = new Map<Face, FaceServe>()
  readonly #served = new Set<string>()
  readonly #dedupMs: number

  constructor(ctx: NodeContext, router: FrameRouter, faces: readonly FaceProfile[], limits: ServeLimits = {}) {
    this.#ctx = ctx
    this.#router = router
    this.#dedupMs = limits.dedupMs ?? SERVE_DEDUP_MS
    const maxPeers = limits.maxPeersPerFace ?? MAX_PEERS_PER_FACE
    const activeMs = limits.peerActiveMs ?? PEER_ACTIVE_MS
    for (const f of faces) {
      this.#faces.set(f.face, {
        budget: new FaceBudget({ rate: f.serveRate, burst: f.serveBurst, maxPeers, activeMs }, ctx.clock),
        recent: new LruMap(maxPeers),
      })
    }
  }

  /** Peers with serve state on `face`, and how many of them share its budget now. */
  peers(face: Face): { known: number; active: number } {
    const f = this.#faces.get(face)
    return { known: f?.budget.peers ?? 0, active: f?.budget.active ?? 0 }
  }

  /** Answers WANTs for `fid` from now on. */
  serve(fid: Uint8Array): void {
    const k = bkey(fid)
    if (this.#served.has(k)) return
    this.#served.add(k)
    this.#router.on(bkey(wantDmx(fid)), (frame, src) => this.#onWant(frame, src))
  }

  async #onWant(frame: Uint8Array, src: Source): Promise<void> {
    const { face, peer } = src
    const f = this.#faces.get(face)
    if (!f) return // not one of the node's faces
    let want
    try {
      want = decodeWant(frame, MAX_WANT_RECORDS)
    } catch (err) {
      return this.#ctx.drop(dropReasonOf(err), face, peer)
    }
    for (const rec of want.records) {
      if (!this.#served.has(bkey(rec.fid))) continue // a log we do not hold
      const wire = await this.#ctx.logs.get(rec.fid, rec.seq)
      if (!wire) continue
      if (this.#sentRecently(f, face, peer, rec)) continue
      if (!f.budget.take(peer)) return this.#ctx.drop('RATE_LIMITED', face, peer)
      this.#ctx.stats.entriesServed++
      void this.#ctx.send(face, wire, peer)
      if (wire[7] === ENTRY_TYPE.CHAIN20) await this.#serveBlobs(f, src, firstBlobPointer(wire.subarray(8, 56)))
    }
  }

  async #serveBlobs(f: FaceServe, src: Source, ptr: Uint8Array | undefined): Promise<void> {
    const blobs = this.#ctx.blobs
    for (let i = 0; blobs && ptr && i < MAX_BLOBS_PER_ENTRY; i++) {
      const blob = await blobs.get(ptr).catch(() => undefined)
      if (!blob || !f.budget.take(src.peer)) return
      this.#ctx.stats.blobsServed++
      void this.#ctx.send(src.face, blob, src.peer)
      ptr = nextBlobPointer(blob)
    }
  }

  /** Whether the entry went to this peer lately; records it as sent now when not. */
  #sentRecently(f: FaceServe, face: Face, peer: PeerId, rec: WantRecord): boolean {
    // on a broadcast face every answer reached every peer: one window for the face
    const m = f.recent.getOrCreate(face.addressable ? peer : '*', () => new Map())
    const k = bkey(rec.fid) + rec.seq
    const now = this.#ctx.clock.now()
    const t = m.get(k)
    if (t !== undefined && now - t < this.#dedupMs) return true
    m.delete(k)
    m.set(k, now)
    if (m.size > 4 * MAX_WANT_RECORDS) m.delete(m.keys().next().value!) // bounded, oldest first
    return false
  }
}
