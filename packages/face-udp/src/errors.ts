// FaceError lives in @tinyssb/core so that every transport throws the same class and codes.
export { FaceError, type FaceErrorCode } from '@tinyssb/core'
