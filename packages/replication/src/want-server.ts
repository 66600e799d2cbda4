// The WANT server: answers WANTs for the logs a node holds with the entries' 120 wire bytes (and the
// blobs of chain20 entries), sent to the peer that asked. Each face's serve budget is shared fairly
// by the groups of peers asking on it (Face.peerGroup: on UDP a host), then by the peers of a group;
// the same entry or blob is not sent twice to one peer (on a broadcast
// face: on the face) within SERVE_DEDUP_MS; and a peer is sent at most the face's amplification
// bound × the bytes of its requests (blobs included; a request's padding counts, see padding.ts).
// Every table is bounded: peers beyond MAX_PEERS_PER_FACE evict the least recently heard. The same
// per-face state serves blob requests (blob-server.ts) and front hints (hint-sender.ts).
import type { Face, PeerId } from '@tinyssb/core'
import {
  DMX_BYTES,
  ENTRY_TYPE,
  FID_BYTES,
  WANT_MIN_BYTES,
  decodeWant,
  encodeBundle,
  firstBlobPointer,
  isBundleWantRecord,
  nextBlobPointer,
  wantDmx,
  type WantRecord,
} from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import type { FaceProfile } from './faces.js'
import { bkey } from './keys.js'
import { LruMap } from './lru.js'
import { RecordWires } from './record-wires.js'
import {
  AMPLIFICATION_CREDIT_BYTES,
  MAX_BLOBS_PER_ENTRY,
  MAX_PEERS_PER_FACE,
  MAX_WANT_RECORDS,
  PEER_ACTIVE_MS,
  SERVE_DEDUP_MS,
} from './options.js'
import { withoutPadding } from './padding.js'
import { bundlesReachOnlyTinyssb, type PeerKinds } from './peer-kinds.js'
import { CreditLedger, FaceBudget } from './rate-limit.js'
import type { FrameHandler, FrameRouter } from './router.js'

/** Entries sent recently to one peer (or on one broadcast face), by fid and seq: when. */
type Recent = Map<string, number>

/** Limits of a WANT server (defaults: MAX_PEERS_PER_FACE, PEER_ACTIVE_MS, SERVE_DEDUP_MS, the face's amplification…). */
export interface ServeLimits {
  readonly maxPeersPerFace?: number
  readonly peerActiveMs?: number
  readonly dedupMs?: number
  readonly amplification?: number
  readonly maxCreditBytes?: number
}

/** Blobs still to send (after a served chain20 entry, or for a blob request): from `ptr`, at most `left` more. */
export interface BlobRun {
  ptr: Uint8Array
  left: number
}

/** Blob runs a peer may have waiting for credit; more are dropped (AMPLIFICATION). */
const MAX_BLOB_RUNS_PER_PEER = 16

/** What a face's serving shares between WANT answers, blob request answers and front hints. */
export interface FaceServe {
  readonly budget: FaceBudget
  readonly credit: CreditLedger
  /** Blob runs that ran out of credit or budget, continued when the peer asks again. */
  readonly blobRuns: LruMap<PeerId, BlobRun[]>
  /** By peer on an addressable face; one entry ('*') on a broadcast face. */
  readonly recent: LruMap<PeerId, Recent>
  /** Entries per bundle on the face (FaceProfile.bundleEntries), 0: answers go one entry per frame. */
  readonly bundleEntries: number
}

/** Called after the entries a WANT asked for were served, before the blobs (front hints use it). */
export type AfterWant = (src: Source, records: readonly WantRecord[], f: FaceServe) => Promise<void> | void

/** Serves WANTs for the logs registered with {@link WantServer.serve}. */
export class WantServer {
  readonly #ctx: NodeContext
  readonly #faces = new Map<Face, FaceServe>()
  readonly #served = new Set<string>()
  readonly #dedupMs: number
  readonly #peers: PeerKinds | undefined
  /** The WANT DMX of the feed the last WANT was about, by bkey. */
  #lastWant: { k: string; dmx: Uint8Array } | undefined
  /** Runs after the entries of each WANT were served (see {@link AfterWant}). */
  afterWant: AfterWant | undefined

  /** `peers`: learns that an asker whose WANT asks for bundles is a tinyssb-ts node, and tells whether a broadcast face has other peers. */
  constructor(ctx: NodeContext, router: FrameRouter, faces: readonly FaceProfile[], limits: ServeLimits = {}, peers?: PeerKinds) {
    this.#ctx = ctx
    this.#peers = peers
    this.#dedupMs = limits.dedupMs ?? SERVE_DEDUP_MS
    const maxPeers = limits.maxPeersPerFace ?? MAX_PEERS_PER_FACE
    const activeMs = limits.peerActiveMs ?? PEER_ACTIVE_MS
    for (const f of faces) {
      this.#faces.set(f.face, {
        budget: new FaceBudget({ rate: f.serveRate, burst: f.serveBurst, maxPeers, activeMs, ...groupsOf(f.face) }, ctx.clock),
        credit: new CreditLedger(limits.amplification ?? f.amplification, limits.maxCreditBytes ?? AMPLIFICATION_CREDIT_BYTES, maxPeers),
        recent: new LruMap(maxPeers),
        blobRuns: new LruMap(maxPeers),
        bundleEntries: f.bundleEntries,
      })
    }
    // One lookup serves every log: a WANT's DMX is the WANT DMX of its first record's feed
    // (sha256(fid ‖ "want")[0:7]), checked when that feed is served; nothing is computed or armed
    // per log, so a node holding thousands of logs starts at once.
    const onWant: FrameHandler = (frame, src) => this.#onWant(frame, src)
    router.lookup((frame) => (this.#isWant(frame) ? onWant : undefined))
  }

  /** Whether `frame` is a WANT for a served feed: its DMX is the WANT DMX of its first record's feed. */
  #isWant(frame: Uint8Array): boolean {
    if (frame.length < WANT_MIN_BYTES) return false
    const fid = frame.subarray(DMX_BYTES, DMX_BYTES + FID_BYTES)
    const k = bkey(fid)
    if (!this.#served.has(k)) return false
    // a peer catching up asks about one feed WANT after WANT: its WANT DMX (a sha256) is kept
    if (this.#lastWant?.k !== k) this.#lastWant = { k, dmx: wantDmx(fid) }
    const dmx = this.#lastWant.dmx
    for (let i = 0; i < DMX_BYTES; i++) if (dmx[i] !== frame[i]) return false
    return true
  }

  /** Peers with serve state on `face`, how many of them share its budget now, and in how many groups. */
  peers(face: Face): { known: number; active: number; groups: number } {
    const f = this.#faces.get(face)
    return { known: f?.budget.peers ?? 0, active: f?.budget.active ?? 0, groups: f?.budget.groups ?? 0 }
  }

  /**
   * A request of `bytes` from `src` (a WANT or a blob request): earns the peer credit.
   * @returns false when the face is not one of the node's.
   */
  earn(src: Source, bytes: number): boolean {
    const f = this.#faces.get(src.face)
    f?.credit.earn(src.peer, bytes)
    return f !== undefined
  }

  /**
   * Sends the blobs of the peer's waiting runs, then of `fresh` ones, to the peer while its credit
   * and its share of the face's budget last; the rest waits for its next request.
   */
  async serveBlobRuns(src: Source, fresh: readonly BlobRun[]): Promise<void> {
    const f = this.#faces.get(src.face)
    if (f) await this.#serveBlobRuns(f, src, fresh)
  }

  /**
   * Answers WANTs for `fid` from now on: WANTs under its WANT DMX, and its records in WANTs of any
   * served feed (the reference reads each record by its own fid too). `k`: its bkey, if known.
   */
  serve(fid: Uint8Array, k = bkey(fid)): void {
    this.#served.add(k)
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
    f.credit.earn(peer, frame.length) // padding included: it pays for the answers
    const bundles = f.bundleEntries > 0 && want.records.some(isBundleWantRecord)
    if (bundles) this.#peers?.tinyssb(face, peer) // only tinyssb-ts nodes ask for bundles
    const records = withoutPadding(want.records) // the bundle record too: it names no feed
    // entries first (they are what the asker's schedule waits for), then the blobs of chain20
    // entries, oldest first, while the credit lasts; the rest waits for the peer's next request.
    // In bundles when the asker takes them and no one else who may not (a broadcast face reaches
    // every peer heard there: all of them must be tinyssb-ts nodes).
    const per = bundles && bundlesReachOnlyTinyssb(face, this.#peers) ? f.bundleEntries : 1
    const runs = await this.#serveRecords(f, src, records, per)
    const after = this.afterWant?.(src, records, f)
    if (after) await after
    await this.#serveBlobRuns(f, src, runs)
  }

  /**
   * Sends the entries asked for, `per` to a frame (a bundle when more than one; a lone entry goes
   * plain); returns the blob runs of the chain20 entries among them.
   */
  async #serveRecords(f: FaceServe, src: Source, records: readonly WantRecord[], per: number): Promise<BlobRun[]> {
    const { face, peer } = src
    const runs: BlobRun[] = []
    const keys = records.map((r) => bkey(r.fid))
    const wires = new RecordWires(this.#ctx.logs, records, keys)
    const bundle: Uint8Array[] = []
    try {
      for (let i = 0; i < records.length; i++) {
        const k = keys[i]!
        if (!this.#served.has(k)) continue // a log we do not hold
        const wire = await wires.get(i)
        if (!wire) continue
        if (this.#sentRecently(f, face, peer, k + records[i]!.seq)) continue
        // the second entry of a bundle pays for its header too
        const bytes = wire.length + (bundle.length === 1 ? DMX_BYTES : 0)
        if (!f.credit.allows(peer, bytes)) {
          this.#ctx.drop('AMPLIFICATION', face, peer)
          break
        }
        if (!f.budget.take(peer)) {
          this.#ctx.drop('RATE_LIMITED', face, peer)
          break
        }
        f.credit.spend(peer, bytes)
        this.#ctx.stats.entriesServed++
        bundle.push(wire)
        if (bundle.length >= per) this.#sendBundle(src, bundle)
        const ptr = wire[7] === ENTRY_TYPE.CHAIN20 ? firstBlobPointer(wire.subarray(8, 56)) : undefined
        if (ptr && this.#ctx.blobs) runs.push({ ptr, left: MAX_BLOBS_PER_ENTRY })
      }
    } finally {
      this.#sendBundle(src, bundle) // what was paid for goes out, also when a read fails
    }
    return runs
  }

  /** Sends the entries of `bundle` (one plain, more as a bundle frame) and empties it. */
  #sendBundle(src: Source, bundle: Uint8Array[]): void {
    if (bundle.length === 0) return
    if (bundle.length > 1) this.#ctx.stats.bundlesSent++
    void this.#ctx.send(src.face, bundle.length === 1 ? bundle[0]! : encodeBundle(bundle), src.peer)
    bundle.length = 0
  }

  /**
   * Sends the blobs of the peer's waiting runs, then of `fresh` ones, while credit and budget last;
   * what is left waits for the peer's next request (at most MAX_BLOB_RUNS_PER_PEER runs; beyond,
   * a run is dropped as AMPLIFICATION).
   */
  async #serveBlobRuns(f: FaceServe, src: Source, fresh: readonly BlobRun[]): Promise<void> {
    let waiting = f.blobRuns.get(src.peer)
    while (waiting && waiting.length > 0 && (await this.#serveBlobs(f, src, waiting[0]!))) waiting.shift()
    for (const run of fresh) {
      if ((!waiting || waiting.length === 0) && (await this.#serveBlobs(f, src, run))) continue
      waiting ??= f.blobRuns.getOrCreate(src.peer, () => [])
      const same = waiting.find((w) => bkey(w.ptr) === bkey(run.ptr)) // asked again: one run
      if (same) same.left = Math.max(same.left, run.left)
      else if (waiting.length >= MAX_BLOB_RUNS_PER_PEER) this.#ctx.drop('AMPLIFICATION', src.face, src.peer)
      else waiting.push(run)
    }
  }

  /**
   * Sends the blobs of `run` to the asker while its credit and budget last.
   * @returns true when the run is complete (or its next blob is not held), false when it stopped.
   */
  async #serveBlobs(f: FaceServe, src: Source, run: BlobRun): Promise<boolean> {
    const blobs = this.#ctx.blobs
    while (blobs && run.left > 0) {
      const blob = await blobs.get(run.ptr).catch(() => undefined)
      if (!blob) return true
      // the same blob went to this peer (broadcast face: on the face) within the dedup window: skip it
      if (!this.#sentRecently(f, src.face, src.peer, 'b' + bkey(run.ptr), true)) {
        if (!f.credit.allows(src.peer, blob.length) || !f.budget.take(src.peer)) return false
        this.#sentRecently(f, src.face, src.peer, 'b' + bkey(run.ptr))
        f.credit.spend(src.peer, blob.length)
        this.#ctx.stats.blobsServed++
        void this.#ctx.send(src.face, blob, src.peer)
      }
      const next = nextBlobPointer(blob)
      run.left--
      if (!next) return true
      run.ptr = next
    }
    return true
  }

  /**
   * Whether the frame keyed `k` (an entry: fid and seq; a blob: 'b' and its pointer) went to this
   * peer lately; records it as sent now when not (unless `peek`).
   */
  #sentRecently(f: FaceServe, face: Face, peer: PeerId, k: string, peek = false): boolean {
    // on a broadcast face every answer reached every peer: one window for the face
    const m = f.recent.getOrCreate(face.addressable ? peer : '*', () => new Map())
    const now = this.#ctx.clock.now()
    const t = m.get(k)
    if (t !== undefined && now - t < this.#dedupMs) return true
    if (peek) return false
    if (t !== undefined) m.delete(k) // to the end: the oldest stays first
    m.set(k, now)
    if (m.size > 4 * MAX_WANT_RECORDS) m.delete(m.keys().next().value!) // bounded, oldest first
    return false
  }
}

/** The face's grouping of peers (Face.peerGroup), for the budget's two-level fairness. */
function groupsOf(face: Face): { groupOf?: (peer: PeerId) => string } {
  return face.peerGroup ? { groupOf: (peer) => face.peerGroup!(peer) } : {}
}
