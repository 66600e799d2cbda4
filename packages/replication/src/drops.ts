// Why a node drops a frame: one typed reason per counter of stats.dropped (core's TrafficStats
// convention: stable UPPER_SNAKE keys, an error code where one exists).
import type { PacketErrorCode } from '@tinyssb/packet'

/**
 * Reasons the node itself gives:
 * - `NO_DMX`: a frame matched no expectation (no DMX of a next entry or a served WANT, no expected
 *   blob). A 120-byte frame is first parked and counted only when it is evicted unused.
 * - `SHORT`: a frame shorter than a DMX (7 bytes).
 * - `INBOX_FULL`: a frame arrived while MAX_INBOX frames were waiting to be processed, or while
 *   its source (face and peer) held its share of the inbox already.
 * - `PARKING_REFUSED`: a 120-byte frame that matched nothing and was not kept: the parking lot was
 *   full of frames from sources that delivered valid entries lately (more likely answers).
 * - `DUPLICATE`: a 120-byte frame that matched nothing and is a copy of a frame parked already (a
 *   duplicate on the medium, or an answer asked for twice): not kept twice.
 * - `RATE_LIMITED`: a WANT (the rest of its records) not served: the asker's share of the face's
 *   serve budget, or the face's budget, is used up.
 * - `AMPLIFICATION`: a WANT (the rest of its records, or the blobs after a served chain20 entry)
 *   not served: it would send the asker more than `amplification` × the bytes of its requests.
 * - `SEND_FAILED`: a face refused or failed to send a frame (the frame is lost; counted, not thrown).
 * - `HINT_CONTRADICTED`: a front hint named an entry the node holds with another mid (a false hint,
 *   or a fork of the feed): dropped, and that peer's hints for the feed are ignored for a while.
 * - `ERROR`: something failed without a stable error code.
 */
export type NodeDropReason =
  | 'NO_DMX'
  | 'SHORT'
  | 'INBOX_FULL'
  | 'PARKING_REFUSED'
  | 'DUPLICATE'
  | 'RATE_LIMITED'
  | 'AMPLIFICATION'
  | 'SEND_FAILED'
  | 'HINT_CONTRADICTED'
  | 'ERROR'

/**
 * Every reason a node counts a drop for: its own ({@link NodeDropReason}), the `PacketError` code
 * of an entry, WANT, blob request or front hint the codec refused (`PACKET_LENGTH`, `PACKET_DMX`,
 * `PACKET_SIGNATURE`, `WANT_LENGTH`, `BLOB_REQUEST_LENGTH`, `FRONT_HINT_LENGTH`, `BUNDLE_LENGTH`, …), or the
 * `StoreError` code of an append the store refused (`STORE_SEQ`, …).
 */
export type DropReason = NodeDropReason | PacketErrorCode | `STORE_${string}`

const PACKET_CODES: ReadonlySet<string> = new Set<PacketErrorCode>([
  'PACKET_LENGTH',
  'PACKET_SEQ',
  'PACKET_PAYLOAD',
  'PACKET_DMX',
  'PACKET_SIGNATURE',
  'PACKET_TYPE',
  'VARINT_TRUNCATED',
  'CHAIN_BLOB',
  'CHAIN_TOO_LONG',
  'WANT_LENGTH',
  'BLOB_REQUEST_LENGTH',
  'BLOB_REQUEST_DMX',
  'FRONT_HINT_LENGTH',
  'FRONT_HINT_DMX',
  'BUNDLE_LENGTH',
])

/** The drop reason for an error that refused a frame: its packet or store code, else 'ERROR'. */
export function dropReasonOf(err: unknown): DropReason {
  const code = (err as { code?: unknown } | null | undefined)?.code
  if (typeof code !== 'string') return 'ERROR'
  if (PACKET_CODES.has(code) || /^STORE_[A-Z0-9_]+$/.test(code)) return code as DropReason
  return 'ERROR'
}
