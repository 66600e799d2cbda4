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

/** Codes of {@link FaceError}, shared by every transport. */
export type FaceErrorCode =
  | 'FACE_MTU' // send() got a frame longer than the face's mtu
  | 'FACE_EMPTY' // send() got a zero-length frame
  | 'FACE_CLOSED' // send() on a face that was closed (by close() or because its device went away)
  | 'FACE_BIND' // a socket could not be opened, bound or joined to its group (cause: the system error)
  | 'FACE_OPEN' // a device could not be opened (missing, busy, no permission); the path is in the message
  | 'FACE_IO' // a write to a device failed
  | 'FACE_PEER' // send() named a peer this face cannot address (malformed or unknown)

/** A face refused a frame, or could not open its socket or device. One class for every transport. */
export class FaceError extends TinySSBError<FaceErrorCode> {
  override name = 'FaceError'
}

/** The stable `code` of an error thrown by a tinyssb-ts package, or 'ERROR' for anything else. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : 'ERROR'
}
