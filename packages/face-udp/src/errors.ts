// FaceError lives in @tinyssb/packet so that every transport throws the same class and codes.
export { FaceError, type FaceErrorCode } from '@tinyssb/packet'
