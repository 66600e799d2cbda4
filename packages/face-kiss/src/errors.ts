import { TinySSBError } from '@tinyssb/packet'

/** Codes of {@link FaceError}. */
export type FaceErrorCode =
  | 'FACE_OPEN' // the device could not be opened (missing, busy, no permission); the path is in the message
  | 'FACE_CLOSED' // send() on a face that was closed (by close() or because the device disappeared)
  | 'FACE_MTU' // send() with a frame longer than the face's mtu
  | 'FACE_IO' // a write to the device failed

/**
 * Errors of the face-kiss package (serial KISS face and pacing). `code` is stable; the cause
 * (e.g. serialport's error) is kept as `cause`.
 */
export class FaceError extends TinySSBError<FaceErrorCode> {
  override name = 'FaceError'
}
