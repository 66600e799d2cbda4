/**
 * @tinyssb/repo — tinySSB persistence in the poc-01 data directory format (Node): append-only log
 * files (`_logs/<fid>.log`), sidechain blobs (`_blob/xx/…`), a node's config.json and state.json;
 * plus in-memory stores with the same rules.
 * @packageDocumentation
 */
export { StoreError, type StoreErrorCode } from './errors.js'
export {
  LOG_HEADER_BYTES,
  LOG_BLOCK_BYTES,
  BLOCK_RESERVED_BYTES,
  HEADER_OFFSET,
  parseLogHeader,
  formatLogHeader,
} from './log-header.js'
export { checkLog, type LogCheck } from './check-log.js'
export { verifyLogs, type VerifyLogsOptions, type VerifyLogsProgress, type LogsVerification } from './verify-logs.js'
export { fsLogStore, LOGS_DIR, DEFAULT_MAX_OPEN_LOGS, type FsLogStore, type FsLogStoreOptions } from './fs-log-store.js'
export { TYPE_INDEX_FILE } from './type-index.js'
export type { LogDamage } from './log-chain.js'
export type { LogRepair } from './log-file.js'
export { fsBlobStore, blobPath, BLOBS_DIR, type FsBlobStoreOptions } from './blob-store.js'
export {
  memoryLogStore,
  memoryBlobStore,
  type MemoryLogStoreOptions,
  type VerifiableLogStore,
} from './memory-store.js'
export {
  CONFIG_FILE,
  STATE_FILE,
  CONFIG_FILE_MODE,
  MAX_CONFIG_CHARS,
  MAX_CONFIG_DEPTH,
  type NodeConfig,
  formatConfig,
  parseConfig,
  readNodeConfig,
  writeNodeConfig,
  writeState,
} from './config.js'
export { appendToFeed, type OwnFeed, type OwnEntryType, type AppendToFeedOptions, type AppendedEntry } from './feed.js'
export {
  RECOVERY_FILE,
  type OwnFeedState,
  type OwnFeedStatus,
  type OwnFeedStatusOptions,
  type OwnFeedGuard,
  type RecoveryMarker,
  ownFeedStatus,
  ownFeedGuard,
  isRewind,
  noteRewind,
  readRecoveryMarker,
  clearRecoveryMarker,
} from './own-feed.js'
export { repairLog, type RepairLogOptions, type LogRepairReport } from './repair-log.js'
export type { LogStore, BlobStore, LogInfo, CreateLogOptions, StoredEntry } from '@tinyssb/packet'
