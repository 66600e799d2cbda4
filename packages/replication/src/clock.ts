// The real clock lives in @tinyssb/core; re-exported here for one release.
export { systemClock } from '@tinyssb/core'
