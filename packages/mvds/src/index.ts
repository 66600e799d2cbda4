/**
 * @tinyssb/mvds — MVDS (2/MVDS, 4/MVDS-META), interoperable byte for byte with the Go reference
 * vacp2p/mvds: the protobuf codec, message ids, and a node on the tinyssb-ts Face and Clock seams.
 * Runs in browsers; the disk store is the Node-only subpath '@tinyssb/mvds/fs'.
 * @packageDocumentation
 */
export { MvdsError, type MvdsErrorCode } from './errors.js'
export { ID_BYTES, type MvdsMessage, type MvdsMetadata, type MvdsPayload, type RecordType, type WireNumbering } from './types.js'
export { messageId } from './message-id.js'
export {
  DEFAULT_LIMITS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_PARENTS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_RECORDS,
  checkMessage,
  checkPayload,
  decodeMessage,
  decodePayload,
  encodeMessage,
  encodePayload,
  recordBytes,
  type CodecOptions,
  type MvdsLimits,
} from './codec.js'
