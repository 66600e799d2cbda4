import { TinySSBError } from '@tinyssb/core'

/** Codes of {@link MvdsError}. Stable: programs match on them, counters are keyed by them. */
export type MvdsErrorCode =
  | 'MVDS_DECODE' // bytes that are not a protobuf Payload/Message (truncated, bad wire type, bad varint)
  | 'MVDS_TOO_LARGE' // a payload longer than maxPayloadBytes
  | 'MVDS_TOO_MANY_RECORDS' // acks + offers + requests + messages above maxRecords
  | 'MVDS_ID_LENGTH' // an ack, offer, request or parent id that is not 32 bytes
  | 'MVDS_GROUP_LENGTH' // a group id that is not 32 bytes
  | 'MVDS_BODY_TOO_LARGE' // a message body above maxBodyBytes, or a message that no face can carry
  | 'MVDS_TOO_MANY_PARENTS' // a message with more than maxParents parents
  | 'MVDS_TIMESTAMP' // a timestamp outside int64
  | 'MVDS_STORE_IO' // the disk store could not read or write (cause: the system error)
  | 'MVDS_STORE_CORRUPT' // the disk store holds a record that is not torn but cannot be read
  | 'MVDS_CLOSED' // the node or store was closed
  | 'MVDS_UNKNOWN_PEER' // a peer on a face the node does not have

/** A bad MVDS payload, message or store, or a call the node cannot serve. */
export class MvdsError extends TinySSBError<MvdsErrorCode> {
  override name = 'MvdsError'
}
