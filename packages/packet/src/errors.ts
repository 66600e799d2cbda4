import { TinySSBError } from '@tinyssb/core'

// TinySSBError and FaceError live in @tinyssb/core (the seams); re-exported here for one release.
export { TinySSBError, FaceError, type FaceErrorCode } from '@tinyssb/core'

/** Codes of {@link PacketError}. */
export type PacketErrorCode =
  | 'PACKET_LENGTH' // a byte string has the wrong length (entry, blob, fid, mid, payload, WANT)
  | 'PACKET_SEQ' // a sequence number outside 0..2^32-1, or one with no successor
  | 'PACKET_PAYLOAD' // a plain48 payload longer than 48 bytes
  | 'PACKET_DMX' // the entry's first 7 bytes are not the DMX its position expects
  | 'PACKET_SIGNATURE' // the signature does not verify under the feed's key
  | 'PACKET_TYPE' // an entry type this operation does not handle
  | 'VARINT_TRUNCATED' // a varint needs more bytes than are there
  | 'CHAIN_BLOB' // a sidechain blob is not 120 bytes or does not hash to its pointer
  | 'CHAIN_TOO_LONG' // a sidechain announces more content than the reader allows
  | 'WANT_LENGTH' // a WANT frame too short to hold one record
  | 'BLOB_REQUEST_LENGTH' // a blob request frame too short to hold one record
  | 'BLOB_REQUEST_DMX' // a frame decoded as a blob request does not start with the blob request DMX
  | 'BLOB_REQUEST_RECORDS' // a blob request to encode with no records, or more than fit in 120 bytes
  | 'BLOB_REQUEST_CREDIT' // a blob request credit outside 1..BLOB_CREDIT_MAX
  | 'FRONT_HINT_LENGTH' // a front hint frame too short to hold one record
  | 'FRONT_HINT_DMX' // a frame decoded as a front hint does not start with the front hint DMX
  | 'FRONT_HINT_RECORDS' // a front hint to encode with no records, or more than fit in 120 bytes
  | 'BUNDLE_LENGTH' // a bundle frame that is not the bundle DMX followed by 2 or more whole 120-byte entries
  | 'BUNDLE_DMX' // a frame decoded as a bundle does not start with the bundle DMX
  | 'BUNDLE_ENTRIES' // a bundle to encode with fewer than 2 entries

/**
 * Bad packet data: wrong lengths, wrong DMX, bad signatures, malformed sidechains, WANTs, blob
 * requests or front hints.
 */
export class PacketError extends TinySSBError<PacketErrorCode> {
  override name = 'PacketError'
}
