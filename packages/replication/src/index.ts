/**
 * @tinyssb/replication — the tinySSB node: DMX and blob expectation tables, the WANT protocol
 * (wire-compatible with poc-01) with a want-ahead window and backoff, over any Face and LogStore.
 * @packageDocumentation
 */
export { createNode, type TinyNode, type NodeEvents, type FeedLag } from './node.js'
export type { ProgressEvent, OwnFeedBehindEvent } from './events.js'
export * from './extension-options.js'
export * from './options.js'
export { guessFaceKind } from './faces.js'
export { dropReasonOf, type DropReason, type NodeDropReason } from './drops.js'
export {
  initialReplica,
  stepReplica,
  type Decision,
  type ReplicaEvent,
  type ReplicaState,
  type SchedulerConfig,
  type SchedulerFace,
  type WantSpec,
} from './scheduler.js'
export { verdictCache, VERDICT_CACHE_ITEMS, type VerdictCache } from './verify-ahead.js'
export { systemClock } from './clock.js'
export type { NodeStats, FaceCounters } from './stats.js'
