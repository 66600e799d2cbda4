// Sending front hints (docs/extensions.md "Sending front hints"): after the entries a WANT asked for were
// served, a node that holds more of a feed than the WANT reached tells the asker "F is at seq S
// with mid M". A feed is looked at at most once per HINT_INTERVAL_MS per peer (on a broadcast face:
// per face), hint or not; two feeds per frame at most, and only within the peer's serve budget and
// amplification credit (a hint is part of the answer). Tables are bounded like the WANT server's.
import type { Face, PeerId } from '@tinyssb/core'
import { FRONT_HINT_MAX_RECORDS, encodeFrontHint, type FrontHint, type WantRecord } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { HINT_INTERVAL_MS } from './extension-options.js'
import type { FaceProfile } from './faces.js'
import { bkey } from './keys.js'
import { LruMap } from './lru.js'
import { MAX_PEERS_PER_FACE } from './options.js'
import type { FaceServe, WantServer } from './want-server.js'

/** Feeds remembered per peer (when a hint went to it); the oldest is forgotten beyond. */
const FEEDS_PER_PEER = 64

/** Sends front hints to peers whose WANTs show they are behind. */
export class HintSender {
  readonly #ctx: NodeContext
  /** Per face, per peer ('*' on a broadcast face): feed → when a hint for it was sent. */
  readonly #sent = new Map<Face, LruMap<PeerId, Map<string, number>>>()

  constructor(ctx: NodeContext, server: WantServer, faces: readonly FaceProfile[], maxPeers = MAX_PEERS_PER_FACE) {
    this.#ctx = ctx
    for (const f of faces) this.#sent.set(f.face, new LruMap(maxPeers))
    server.afterWant = (src, records, f) => this.#afterWant(src, records, f)
  }

  /** Synchronous when no hint is due (the common case: one went to the peer lately). */
  #afterWant(src: Source, records: readonly WantRecord[], f: FaceServe): Promise<void> | undefined {
    const peers = this.#sent.get(src.face)
    if (!peers) return undefined
    const sent = peers.getOrCreate(src.face.addressable ? src.peer : '*', () => new Map())
    // the highest seq asked for per feed (the first two feeds of the frame) not hinted lately
    const now = this.#ctx.clock.now()
    const asked = new Map<string, { fid: Uint8Array; seq: number }>()
    for (const r of records) {
      const k = bkey(r.fid)
      const a = asked.get(k)
      if (a) a.seq = Math.max(a.seq, r.seq)
      else if (asked.size < FRONT_HINT_MAX_RECORDS) asked.set(k, { fid: r.fid, seq: r.seq })
    }
    for (const k of asked.keys()) {
      const t = sent.get(k)
      if (t !== undefined && now - t < HINT_INTERVAL_MS) asked.delete(k)
    }
    return asked.size === 0 ? undefined : this.#send(src, f, sent, asked, now)
  }

  async #send(src: Source, f: FaceServe, sent: Map<string, number>, asked: Map<string, { fid: Uint8Array; seq: number }>, now: number): Promise<void> {
    const hints: FrontHint[] = []
    const keys: string[] = []
    for (const [k, a] of asked) {
      // looked at once per interval, hint or not (a peer at the live edge costs no store read per WANT)
      sent.delete(k)
      sent.set(k, now)
      if (sent.size > FEEDS_PER_PEER) sent.delete(sent.keys().next().value!)
      const info = await this.#ctx.logs.info(a.fid).catch(() => undefined)
      if (!info || info.frontSeq < 1 || info.frontSeq <= a.seq) continue // not held, or the peer asked that far
      hints.push({ fid: a.fid, seq: info.frontSeq, mid: info.frontMid })
      keys.push(k)
    }
    if (hints.length === 0) return
    const frame = encodeFrontHint(hints)
    // optional: never at the cost of the amplification bound or of other peers' share
    if (!f.credit.allows(src.peer, frame.length) || !f.budget.take(src.peer)) {
      for (const k of keys) sent.delete(k) // not sent: may go with the next WANT
      return
    }
    f.credit.spend(src.peer, frame.length)
    this.#ctx.stats.hintsSent++
    void this.#ctx.send(src.face, frame, src.peer)
  }
}
