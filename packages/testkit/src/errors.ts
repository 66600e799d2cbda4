import { TinySSBError } from '@tinyssb/packet'

/** Codes of the testkit's {@link FaceError}; the same codes `@tinyssb/face-udp` uses. */
export type FaceErrorCode =
  | 'FACE_MTU' // send() got a frame longer than the face's mtu
  | 'FACE_EMPTY' // send() got a zero-length frame
  | 'FACE_CLOSED' // send() on a face that was closed

/** A face refused a frame (in-memory faces of the testkit). */
export class FaceError extends TinySSBError<FaceErrorCode> {
  override name = 'FaceError'
}
