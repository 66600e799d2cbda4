// Models of how the original Python nodes dispatch a received frame, written from reading
// github.com/tschudin/tinyssb (no code taken over), to show what they do with our new frames.
//
// poc-01 (src/poc-01/tinyssb/node.py NODE.on_rx, handlers armed by test_prodcons.py):
//   the frame's first 7 bytes are looked up in the DMX table; a hit calls the handler, a miss drops
//   the frame (the blob-by-hash lookup is commented out there). The table holds, per log held, the
//   WANT DMX sha256(fid ‖ "want")[0:7] and, per replica, the DMX of its next entry
//   sha256("tinyssb-v0" ‖ fid ‖ seq+1 ‖ front mid)[0:7]. The WANT handler (want_handler in
//   test_prodcons.py) walks the frame after the DMX while ≥ 24 bytes remain, taking 32 bytes as a fid
//   and the next 4 as a big-endian seq, and sends entry seq of the log of that fid if it has one; the
//   UDP face reads at most 250 bytes of a datagram.
// poc-02..05 (src/poc-05/tinyssb/node.py NODE.on_rx): the same DMX lookup, with the blob request
//   DMX sha256("tinyssb-v0" ‖ "blobs")[0:7] armed too; on a miss, sha256(frame)[0:20] is looked up
//   in a table of expected blob pointers, whose handler returns at once unless the frame is 120
//   bytes. A blob request is read as 22-byte records (pointer, count BE16) while ≥ 22 bytes remain;
//   for each, up to `count` blobs are sent, following each blob's last 20 bytes.
import { createHash } from 'node:crypto'

const sha = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s)
const be32 = (n: number): Uint8Array => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const key = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** What a modelled node did with a frame. */
export type Dispatch =
  | { readonly kind: 'dropped' }
  | { readonly kind: 'want'; readonly fid: string }
  | { readonly kind: 'entry'; readonly fid: string; readonly seq: number }
  | { readonly kind: 'blob-request'; readonly records: { ptr: string; count: number }[] }
  | { readonly kind: 'blob'; readonly ptr: string; readonly accepted: boolean }

/** A replica as the original holds it: the feed and its front. */
export interface ModelFeed {
  readonly fid: Uint8Array
  readonly frontSeq: number
  readonly frontMid: Uint8Array
}

/** A record as poc-01's WANT handler reads it, and whether it holds a log for that fid. */
export interface WantRead {
  readonly fid: string
  readonly seq: number
  readonly held: boolean
}

/** A modelled node: its DMX table (and, for poc-02+, its blob request DMX and blob table). */
export class OriginalNode {
  private readonly dmxt = new Map<string, Dispatch>()
  private readonly blbt = new Set<string>()
  private readonly logs = new Set<string>()

  /**
   * @param version - 'poc-01', or 'poc-02+' for the later proofs of concept.
   * @param feeds - logs held: each gets a WANT handler and an expected-next-entry handler.
   * @param expectedBlobs - blob pointers awaited (poc-02+ only).
   */
  constructor(
    readonly version: 'poc-01' | 'poc-02+',
    feeds: readonly ModelFeed[],
    expectedBlobs: readonly Uint8Array[] = [],
  ) {
    const pfx = ascii('tinyssb-v0')
    for (const f of feeds) {
      const fid = key(f.fid)
      this.logs.add(fid)
      // poc-01's WANT DMX has no prefix; poc-02+ put "tinyssb-v0" in front (packet._dmx)
      const want = version === 'poc-01' ? sha(f.fid, ascii('want')) : sha(pfx, f.fid, ascii('want'))
      this.dmxt.set(key(want.subarray(0, 7)), { kind: 'want', fid })
      const next = sha(pfx, f.fid, be32(f.frontSeq + 1), f.frontMid)
      this.dmxt.set(key(next.subarray(0, 7)), { kind: 'entry', fid, seq: f.frontSeq + 1 })
    }
    if (version === 'poc-02+') {
      this.dmxt.set(key(sha(pfx, ascii('blobs')).subarray(0, 7)), { kind: 'blob-request', records: [] })
      for (const p of expectedBlobs) this.blbt.add(key(p))
    }
  }

  /**
   * What poc-01's WANT handler reads from a WANT that reached it (its DMX armed): the records of
   * the first `datagramBytes` bytes (250, what its UDP face reads; a trailing 24..35-byte piece is
   * read as a shorter fid), each with whether a log of that fid is held (only those are answered).
   */
  readWant(frame: Uint8Array, datagramBytes = 250): WantRead[] {
    const out: WantRead[] = []
    let buf = frame.subarray(7, datagramBytes)
    while (buf.length >= 24) {
      const fid = key(buf.subarray(0, 32))
      const seq = buf.subarray(32, 36).reduce((acc, b) => acc * 256 + b, 0)
      out.push({ fid, seq, held: this.logs.has(fid) })
      buf = buf.subarray(36)
    }
    return out
  }

  /** How many DMXs the node has armed. */
  get armed(): number {
    return this.dmxt.size
  }

  /** What the node does with `frame`. */
  receive(frame: Uint8Array): Dispatch {
    const hit = this.dmxt.get(key(frame.subarray(0, 7)))
    if (hit?.kind === 'blob-request') return { kind: 'blob-request', records: readBlobRecords(frame) }
    if (hit) return hit
    if (this.version === 'poc-01') return { kind: 'dropped' }
    const ptr = key(sha(frame).subarray(0, 20))
    if (this.blbt.has(ptr)) return { kind: 'blob', ptr, accepted: frame.length === 120 }
    return { kind: 'dropped' }
  }
}

/** The later originals' reading of a blob request: 22-byte records while at least 22 bytes remain. */
function readBlobRecords(frame: Uint8Array): { ptr: string; count: number }[] {
  const out: { ptr: string; count: number }[] = []
  for (let o = 7; frame.length - o >= 22; o += 22) {
    out.push({ ptr: key(frame.subarray(o, o + 20)), count: (frame[o + 20]! << 8) | frame[o + 21]! })
  }
  return out
}
