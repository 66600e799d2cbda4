// Blob requests with chained credit (docs/extensions.md "Blob request"):
//   frame = dmx(7) ‖ N × (ptr(20) ‖ credit(BE16)),   N = 1..5, 29..117 bytes
//   dmx   = sha256("tinyssb-v0" ‖ "blobs")[0:7]
// The holder of blob `ptr` answers with it, then with the blob its last 20 bytes point to, and so
// on: `credit` blobs in all, the first included. This is byte for byte the blob request of the
// original's later proofs of concept (poc-02..05), so those nodes answer ours and we answer theirs;
// poc-01 nodes never arm this DMX and drop it. A frame is never 120 bytes long, so no node can take
// it for a blob or an entry by its length.
import { checkLength, isZero, toHex } from './bytes.js'
import { DMX_BYTES, HASHPTR_BYTES } from './constants.js'
import { PacketError } from './errors.js'
import { extensionDmx, startsWithDmx } from './ext-dmx.js'

/** The name the blob request DMX is derived from (the original's `packet._dmx(b'blobs')`). */
export const BLOB_REQUEST_NAME = 'blobs'
/** One record: ptr(20) ‖ credit(BE16). */
export const BLOB_REQUEST_RECORD_BYTES = HASHPTR_BYTES + 2
/** The smallest blob request: one record, 29 bytes. */
export const BLOB_REQUEST_MIN_BYTES = DMX_BYTES + BLOB_REQUEST_RECORD_BYTES
/** Records in one frame: 5 (117 bytes) fit a 120-byte LoRa frame; decoders read no more. */
export const BLOB_REQUEST_MAX_RECORDS = 5
/** The largest credit of one record: blobs sent for it, the first included. */
export const BLOB_CREDIT_MAX = 16
/**
 * The hard cap per request frame: blobs answered for all its records together (16 × 120 = 1920
 * bytes for at least 29 bytes asked: at most 66 bytes sent per byte received).
 */
export const BLOB_REQUEST_MAX_BLOBS = 16

const DMX = extensionDmx(BLOB_REQUEST_NAME)

/** The fixed DMX every node listens on for blob requests: sha256("tinyssb-v0" ‖ "blobs")[0:7]. */
export function blobRequestDmx(): Uint8Array {
  return DMX.slice()
}

/** "Send blob `ptr` and the blobs it chains to, `credit` blobs in all." */
export interface BlobRequestRecord {
  /** sha256(blob)[0:20] of the first blob wanted. */
  readonly ptr: Uint8Array
  /** Blobs to send, the first included: 1..{@link BLOB_CREDIT_MAX}. */
  readonly credit: number
}

/** Whether `frame` carries the blob request DMX and is long enough for one record. */
export function isBlobRequest(frame: Uint8Array): boolean {
  return frame.length >= BLOB_REQUEST_MIN_BYTES && startsWithDmx(frame, DMX)
}

/**
 * Encodes one blob request frame (29..117 bytes).
 * @param records - 1..{@link BLOB_REQUEST_MAX_RECORDS} records; each pointer 20 bytes and not all
 *   zero (a zero pointer ends a chain), each credit 1..{@link BLOB_CREDIT_MAX}.
 * @throws PacketError BLOB_REQUEST_RECORDS (no records, too many, or a zero pointer),
 *   BLOB_REQUEST_CREDIT, PACKET_LENGTH (a pointer that is not 20 bytes).
 * @example
 * ```ts
 * const frame = encodeBlobRequest([{ ptr: firstBlobPointer(entry.payload)!, credit: 4 }])
 * for (const face of faces) face.send(frame)
 * ```
 */
export function encodeBlobRequest(records: readonly BlobRequestRecord[]): Uint8Array {
  if (records.length < 1 || records.length > BLOB_REQUEST_MAX_RECORDS) {
    throw new PacketError('BLOB_REQUEST_RECORDS', `a blob request holds 1..${BLOB_REQUEST_MAX_RECORDS} records, got ${records.length}`)
  }
  const out = new Uint8Array(DMX_BYTES + records.length * BLOB_REQUEST_RECORD_BYTES)
  out.set(DMX)
  records.forEach((r, i) => {
    checkLength(r.ptr, HASHPTR_BYTES, 'blob pointer')
    if (isZero(r.ptr)) throw new PacketError('BLOB_REQUEST_RECORDS', 'a zero blob pointer ends a chain: there is nothing to request')
    checkCredit(r.credit)
    const o = DMX_BYTES + i * BLOB_REQUEST_RECORD_BYTES
    out.set(r.ptr, o)
    out[o + HASHPTR_BYTES] = r.credit >>> 8
    out[o + HASHPTR_BYTES + 1] = r.credit & 0xff
  })
  return out
}

function checkCredit(credit: number): void {
  if (!Number.isInteger(credit) || credit < 1 || credit > BLOB_CREDIT_MAX) {
    throw new PacketError('BLOB_REQUEST_CREDIT', `a blob credit is an integer in 1..${BLOB_CREDIT_MAX}, got ${credit}`)
  }
}

/** Bounds a server applies when reading a request; each may only be lowered below its default. */
export interface DecodeBlobRequestOptions {
  /** Records read (default and maximum {@link BLOB_REQUEST_MAX_RECORDS}); the rest is ignored. */
  readonly maxRecords?: number
  /** Credit granted per record (default and maximum {@link BLOB_CREDIT_MAX}). */
  readonly maxCredit?: number
  /** Blobs granted for the whole frame (default and maximum {@link BLOB_REQUEST_MAX_BLOBS}). */
  readonly maxBlobs?: number
}

/** A decoded blob request, with the credit the reader grants. */
export interface BlobRequest {
  /** Records to answer, in frame order, each credit already capped; at least one. */
  readonly records: BlobRequestRecord[]
  /** The sum of the credits the frame asked for (before any cap). */
  readonly requested: number
  /** The sum of the credits granted: at most `maxBlobs`. */
  readonly granted: number
}

/**
 * Decodes a blob request and grants its credit within the bounds: whole 22-byte records only (a
 * trailing partial record is ignored), at most `maxRecords` of them; each credit capped at
 * `maxCredit`, and the credits of the frame together at `maxBlobs` (records past the budget get
 * nothing). Records that ask for nothing are left out: credit 0, a zero pointer, or a pointer
 * already asked for earlier in the frame.
 * @returns the records to answer; `records` may be empty when every record asks for nothing.
 * @throws PacketError BLOB_REQUEST_DMX (not the blob request DMX), BLOB_REQUEST_LENGTH (shorter
 *   than one record, 29 bytes).
 */
export function decodeBlobRequest(frame: Uint8Array, opts: DecodeBlobRequestOptions = {}): BlobRequest {
  if (!startsWithDmx(frame, DMX)) throw new PacketError('BLOB_REQUEST_DMX', 'the frame does not start with the blob request DMX')
  if (frame.length < BLOB_REQUEST_MIN_BYTES) {
    throw new PacketError('BLOB_REQUEST_LENGTH', `a blob request has at least ${BLOB_REQUEST_MIN_BYTES} bytes, got ${frame.length}`)
  }
  const maxRecords = bound(opts.maxRecords, BLOB_REQUEST_MAX_RECORDS)
  const maxCredit = bound(opts.maxCredit, BLOB_CREDIT_MAX)
  let budget = bound(opts.maxBlobs, BLOB_REQUEST_MAX_BLOBS)
  const n = Math.min(maxRecords, Math.floor((frame.length - DMX_BYTES) / BLOB_REQUEST_RECORD_BYTES))
  const records: BlobRequestRecord[] = []
  const seen = new Set<string>()
  let requested = 0
  let granted = 0
  for (let i = 0; i < n; i++) {
    const o = DMX_BYTES + i * BLOB_REQUEST_RECORD_BYTES
    const ptr = frame.slice(o, o + HASHPTR_BYTES)
    const asked = (frame[o + HASHPTR_BYTES]! << 8) | frame[o + HASHPTR_BYTES + 1]!
    requested += asked
    const key = toHex(ptr)
    if (asked === 0 || isZero(ptr) || seen.has(key)) continue
    seen.add(key)
    const credit = Math.min(asked, maxCredit, budget)
    if (credit === 0) continue
    budget -= credit
    granted += credit
    records.push({ ptr, credit })
  }
  return { records, requested, granted }
}

/** A limit from options: an integer between 0 and its default (the default when absent). */
function bound(value: number | undefined, max: number): number {
  if (value === undefined) return max
  return Math.max(0, Math.min(max, Math.floor(value)))
}

/**
 * Packs records into as few frames as possible such that a server grants every credit in full:
 * at most {@link BLOB_REQUEST_MAX_RECORDS} records and {@link BLOB_REQUEST_MAX_BLOBS} blobs of
 * credit per frame. Pointers asked twice are asked once (the larger credit). Order is kept.
 * @throws like {@link encodeBlobRequest} for a bad record.
 */
export function packBlobRequests(records: readonly BlobRequestRecord[]): Uint8Array[] {
  const merged = new Map<string, BlobRequestRecord>()
  for (const r of records) {
    checkLength(r.ptr, HASHPTR_BYTES, 'blob pointer')
    checkCredit(r.credit)
    const key = toHex(r.ptr)
    const had = merged.get(key)
    if (!had || had.credit < r.credit) merged.set(key, had ? { ptr: had.ptr, credit: r.credit } : r)
  }
  const frames: Uint8Array[] = []
  let group: BlobRequestRecord[] = []
  let credit = 0
  for (const r of merged.values()) {
    if (group.length === BLOB_REQUEST_MAX_RECORDS || credit + r.credit > BLOB_REQUEST_MAX_BLOBS) {
      frames.push(encodeBlobRequest(group))
      group = []
      credit = 0
    }
    group.push(r)
    credit += r.credit
  }
  if (group.length > 0) frames.push(encodeBlobRequest(group))
  return frames
}
