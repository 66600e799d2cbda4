// WANT requests (docs/PROTOCOL.md "The WANT protocol"; vectors/want.json):
//   frame = dmx(7) ‖ N × (fid(32) ‖ seq(BE32)),   dmx = sha256(fid_of_target ‖ "want")[0:7]
import { checkLength, concatBytes, readU32be, u32be } from './bytes.js'
import { DMX_BYTES, FID_BYTES, SEQ_BYTES } from './constants.js'
import { PacketError } from './errors.js'
import { sha256 } from './hash.js'

/** One WANT record: fid(32) ‖ seq(4). */
export const WANT_RECORD_BYTES = FID_BYTES + SEQ_BYTES
/** The smallest WANT frame: one record, 43 bytes. */
export const WANT_MIN_BYTES = DMX_BYTES + WANT_RECORD_BYTES

const WANT_SUFFIX = new Uint8Array([0x77, 0x61, 0x6e, 0x74]) // "want"

/** "Please send entry `seq` of feed `fid`." */
export interface WantRecord {
  readonly fid: Uint8Array
  readonly seq: number
}

/** The DMX under which a node listens for WANTs about feed `fid`: sha256(fid ‖ "want")[0:7]. */
export function wantDmx(fid: Uint8Array): Uint8Array {
  checkLength(fid, FID_BYTES, 'fid')
  return sha256(concatBytes(fid, WANT_SUFFIX)).subarray(0, DMX_BYTES)
}

/** How many records fit in a frame of `mtu` bytes (at least 1 for any mtu ≥ 43). */
export function maxWantRecords(mtu: number): number {
  return Math.max(0, Math.floor((mtu - DMX_BYTES) / WANT_RECORD_BYTES))
}

/**
 * Encodes a WANT frame.
 * @param dmx - the 7-byte DMX, normally {@link wantDmx} of the feed asked for.
 * @param records - at least one record.
 */
export function encodeWant(dmx: Uint8Array, records: readonly WantRecord[]): Uint8Array {
  checkLength(dmx, DMX_BYTES, 'dmx')
  if (records.length === 0) throw new RangeError('a WANT needs at least one record')
  const out = new Uint8Array(DMX_BYTES + records.length * WANT_RECORD_BYTES)
  out.set(dmx)
  records.forEach((r, i) => {
    checkLength(r.fid, FID_BYTES, 'fid')
    const o = DMX_BYTES + i * WANT_RECORD_BYTES
    out.set(r.fid, o)
    out.set(u32be(r.seq), o + FID_BYTES)
  })
  return out
}

/** A decoded WANT frame. */
export interface Want {
  readonly dmx: Uint8Array
  readonly records: WantRecord[]
}

/**
 * Decodes a WANT frame: whole 36-byte records after the DMX; a trailing partial record is ignored
 * (the reference looped while ≥ 24 bytes remained, which misreads a partial record).
 * @throws PacketError WANT_LENGTH for a frame shorter than one record (43 bytes).
 */
export function decodeWant(frame: Uint8Array, maxRecords = Number.POSITIVE_INFINITY): Want {
  if (frame.length < WANT_MIN_BYTES) {
    throw new PacketError('WANT_LENGTH', `WANT expected at least ${WANT_MIN_BYTES} bytes, got ${frame.length}`)
  }
  const n = Math.min(maxRecords, Math.floor((frame.length - DMX_BYTES) / WANT_RECORD_BYTES))
  const records: WantRecord[] = []
  for (let i = 0; i < n; i++) {
    const o = DMX_BYTES + i * WANT_RECORD_BYTES
    records.push({ fid: frame.slice(o, o + FID_BYTES), seq: readU32be(frame, o + FID_BYTES) })
  }
  return { dmx: frame.slice(0, DMX_BYTES), records }
}
