// The WANT queue: the records every replica asks for, per face, packed into shared WANT frames and
// paced by the face's WANT budget (records per second, a token bucket), so a node following many
// feeds sends a few full frames at a bounded rate instead of a burst of small ones.
//
// A poc-01 WANT is `dmx ‖ N × (fid ‖ seq)` with the DMX of one feed, but the reference's handler
// (and ours) reads every record by its own fid: one frame may carry records of several feeds. Its
// DMX is the WANT DMX of its first record's feed, so a peer that holds that feed takes the frame
// and answers every record it holds (docs/PROTOCOL.md "The WANT protocol"). On 'udp' faces a frame
// is padded with zero bytes to pay for its answers under the holder's amplification bound
// (padding.ts): 40 bytes per record at 3 ×, and 21 for a front hint. A frame holds the face's
// records (6 on 'udp' faces: the Python original reads 250 bytes of a datagram), or its
// largeRecords while every peer heard on the face is a tinyssb-ts node (peer-kinds.ts).
import { soon, type TimerHandle } from '@tinyssb/core'
import { BUNDLE_MIN_ENTRIES, DMX_BYTES, WANT_RECORD_BYTES, bundleWantRecord, encodeWant, wantDmx, type WantRecord } from '@tinyssb/packet'
import type { NodeContext } from './context.js'
import type { FaceProfile } from './faces.js'
import { bundlesReachOnlyTinyssb, type PeerKinds } from './peer-kinds.js'
import { bkey } from './keys.js'
import { MAX_PENDING_WANT_RECORDS } from './options.js'
import { padRequest, paddedLength, wantAnswerBytes } from './padding.js'
import { TokenBucket } from './rate-limit.js'

/** Records of one feed, seqs `from` … `to`, waiting to be sent. */
interface Pending {
  readonly fid: Uint8Array
  readonly key: string
  from: number
  readonly to: number
  /** Asked again (a repair): the frame that carries it does not ask for bundles. */
  readonly again: boolean
}

interface FaceQueue {
  readonly profile: FaceProfile
  readonly bucket: TokenBucket
  readonly items: Pending[]
  /** Index of the first item not sent yet (items before it are dropped in batches). */
  head: number
  /** Records waiting. */
  records: number
  timer: TimerHandle | undefined
  scheduled: boolean
}

/** The node's WANT records, per face, waiting for their frame and their budget. */
export class WantQueue {
  readonly #ctx: NodeContext
  readonly #faces: FaceQueue[]
  readonly #maxPending: number
  readonly #peers: PeerKinds | undefined
  #dmxCache: { key: string; dmx: Uint8Array } | undefined
  /** While false, nothing is sent and timers do nothing. */
  running = false

  /** `peers`: which peers are tinyssb-ts nodes; without it, frames hold the face's `records` only. */
  constructor(ctx: NodeContext, faces: readonly FaceProfile[], maxPending = MAX_PENDING_WANT_RECORDS, peers?: PeerKinds) {
    this.#ctx = ctx
    this.#peers = peers
    this.#maxPending = maxPending
    this.#faces = faces.map((profile) => ({
      profile,
      bucket: new TokenBucket(profile.wantRate, profile.wantBurst, ctx.clock),
      items: [],
      head: 0,
      records: 0,
      timer: undefined,
      scheduled: false,
    }))
  }

  /** Records waiting on face number `face` (all faces when undefined). */
  pending(face?: number): number {
    if (face !== undefined) return this.#faces[face]?.records ?? 0
    return this.#faces.reduce((n, q) => n + q.records, 0)
  }

  /** Room left before the fullest face queue refuses records. */
  room(): number {
    return this.#maxPending - Math.max(0, ...this.#faces.map((q) => q.records))
  }

  /**
   * Queues records for seqs `from` … `to` of `fid` on face number `face`, sent soon. Beyond
   * MAX_PENDING_WANT_RECORDS waiting on the face, the records are not queued (false): the replica
   * asks again on its next timer. `again`: some of these seqs were asked before (their answers
   * were lost): the frame asks for them one per datagram, not in bundles (a lost bundle loses
   * all its entries, and a repair is when loss already struck).
   */
  add(face: number, fid: Uint8Array, from: number, to: number, again = false): boolean {
    const q = this.#faces[face]
    if (!q || q.profile.records <= 0 || to < from) return false
    const n = to - from + 1
    if (q.records + n > this.#maxPending) return false
    q.items.push({ fid, key: bkey(fid), from, to, again })
    q.records += n
    this.#schedule(q)
    return true
  }

  /** Forgets what waits and cancels the timers. */
  clear(): void {
    for (const q of this.#faces) {
      if (q.timer !== undefined) this.#ctx.clock.clearTimeout(q.timer)
      q.timer = undefined
      q.items.length = 0
      q.head = 0
      q.records = 0
    }
  }

  #schedule(q: FaceQueue): void {
    if (q.scheduled || q.timer !== undefined) return
    q.scheduled = true
    // soon, not now: the decisions of one batch of appends (or of many replicas' timers at one
    // instant) share frames
    soon(this.#ctx.clock, () => {
      q.scheduled = false
      this.#flush(q)
    })
  }

  #flush(q: FaceQueue): void {
    if (!this.running) return
    const p = q.profile
    // large frames only while no peer heard on the face may be the Python original
    const large = p.largeRecords > p.records && this.#peers?.allTinyssb(p.face) === true
    const per = Math.max(1, Math.min(large ? p.largeRecords : p.records, p.wantBurst))
    while (q.records > 0) {
      const frameRecords = Math.min(per, q.records)
      const tokens = q.bucket.available()
      if (tokens < frameRecords) {
        // wait for the budget of a full frame (or of what is left)
        const ms = Math.max(1, ((frameRecords - tokens) * 1000) / q.profile.wantRate)
        q.timer = this.#ctx.clock.setTimeout(() => {
          q.timer = undefined
          this.#flush(q)
        }, ms)
        return
      }
      const { records, again } = this.#takeFrame(q, per)
      for (let i = 0; i < records.length; i++) q.bucket.take()
      this.#send(q, records, again)
    }
  }

  /** Takes up to `per` records from the head of the queue; a seq of a feed appears once per frame. */
  #takeFrame(q: FaceQueue, per: number): { records: WantRecord[]; again: boolean } {
    const records: WantRecord[] = []
    const inFrame = new Set<string>()
    let again = false
    while (records.length < per && q.head < q.items.length) {
      const it = q.items[q.head]!
      const k = it.key + it.from
      if (inFrame.has(k)) break // a copy of a record already in this frame goes in the next one
      inFrame.add(k)
      records.push({ fid: it.fid, seq: it.from })
      again ||= it.again
      q.records--
      if (it.from >= it.to) q.head++
      else it.from++
    }
    if (q.head > 1024 && q.head * 2 > q.items.length) {
      q.items.splice(0, q.head)
      q.head = 0
    }
    return { records, again }
  }

  #send(q: FaceQueue, records: WantRecord[], again: boolean): void {
    const first = records[0]!
    const key = bkey(first.fid)
    if (this.#dmxCache?.key !== key) this.#dmxCache = { key, dmx: wantDmx(first.fid) }
    this.#ctx.stats.wantsSent++
    // padded to pay for its answers under the holder's amplification bound (not on 'lora' faces);
    // a WANT that asks for bundles pays for their headers too
    let answerBytes = wantAnswerBytes(records.length)
    if (!again && this.#asksForBundles(q.profile, records.length, answerBytes)) {
      answerBytes += bundleHeaderBytes(q.profile, records.length)
      records.push(bundleWantRecord())
    }
    const frame = padRequest(encodeWant(this.#dmxCache.dmx, records), answerBytes, q.profile)
    void this.#ctx.send(q.profile.face, frame)
  }

  /**
   * Whether a WANT of `records` records (paying for `answerBytes`) asks for its answers in bundles,
   * with the marker record (an all-zero fid, which every reader skips): on faces with bundles, for
   * two records or more, when bundles on the face reach tinyssb-ts nodes only, the marker fits the
   * MTU and it costs no byte the padding (then paying for the bundles' headers too) would not take
   * anyway: a WANT at the live edge stays as small as the original's.
   */
  #asksForBundles(p: FaceProfile, records: number, answerBytes: number): boolean {
    if (p.bundleEntries === 0 || records < BUNDLE_MIN_ENTRIES) return false
    if (!bundlesReachOnlyTinyssb(p.face, this.#peers)) return false
    const marked = DMX_BYTES + (records + 1) * WANT_RECORD_BYTES
    if (marked > p.face.mtu) return false
    const padded = paddedLength(marked - WANT_RECORD_BYTES, answerBytes + bundleHeaderBytes(p, records), p)
    return !Number.isFinite(p.padFor) || padded >= marked
  }
}

/** The headers of the bundles that answer `records` records on the face (7 bytes each). */
function bundleHeaderBytes(p: FaceProfile, records: number): number {
  return Math.ceil(records / p.bundleEntries) * DMX_BYTES
}
