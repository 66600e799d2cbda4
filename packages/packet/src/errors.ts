/**
 * The error base class of every tinyssb-ts package. `code` is stable and meant for programs;
 * `message` is for people and names the thing, what was expected and what was found.
 */
export class TinySSBError<C extends string = string> extends Error {
  readonly code: C
  constructor(code: C, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
  override name = 'TinySSBError'
}

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

/** Bad packet data: wrong lengths, wrong DMX, bad signatures, malformed sidechains or WANTs. */
export class PacketError extends TinySSBError<PacketErrorCode> {
  override name = 'PacketError'
}

/** Codes of {@link FaceError}, shared by every transport. */
export type FaceErrorCode =
  | 'FACE_MTU' // send() got a frame longer than the face's mtu
  | 'FACE_EMPTY' // send() got a zero-length frame
  | 'FACE_CLOSED' // send() on a face that was closed (by close() or because its device went away)
  | 'FACE_BIND' // a socket could not be opened, bound or joined to its group (cause: the system error)
  | 'FACE_OPEN' // a device could not be opened (missing, busy, no permission); the path is in the message
  | 'FACE_IO' // a write to a device failed

/** A face refused a frame, or could not open its socket or device. One class for every transport. */
export class FaceError extends TinySSBError<FaceErrorCode> {
  override name = 'FaceError'
}
