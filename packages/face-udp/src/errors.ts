import { TinySSBError } from '@tinyssb/packet'

/** Codes of {@link FaceError}. */
export type FaceErrorCode =
  | 'FACE_MTU' // send() got a frame longer than the face's mtu
  | 'FACE_EMPTY' // send() got a zero-length frame
  | 'FACE_CLOSED' // send() on a face that was closed
  | 'FACE_BIND' // the socket could not be opened, bound or joined to the group (cause: the system error)

/** A UDP face refused a frame, or could not open its socket. */
export class FaceError extends TinySSBError<FaceErrorCode> {
  override name = 'FaceError'
}
