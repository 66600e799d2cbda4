// The LogStore and BlobStore compliance suites, the subpath '@tinyssb/testkit/store-compliance'.
// It imports vitest and fast-check, so the main index never loads it.
export { testLogStore, type MakeLogStore, type LogStoreComplianceOptions } from './log-store-compliance.js'
export { testBlobStore, type MakeBlobStore } from './blob-store-compliance.js'
export type { ErrorClass, LogCheckLike, LogStoreUnderTest } from './store-fixtures.js'
