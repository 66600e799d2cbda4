/**
 * @tinyssb/mvds — MVDS (2/MVDS, 4/MVDS-META), interoperable byte for byte with the Go reference
 * vacp2p/mvds: the protobuf codec, message ids, and a node on the tinyssb-ts Face and Clock seams.
 * Runs in browsers; the disk store is the Node-only subpath '@tinyssb/mvds/fs'.
 * @packageDocumentation
 */
export { MvdsError, type MvdsErrorCode } from './errors.js'
export { ID_BYTES, type MvdsMessage, type MvdsMetadata, type MvdsPayload, type RecordType, type WireNumbering } from './types.js'
export { messageId } from './message-id.js'
export {
  DEFAULT_LIMITS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_PARENTS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_RECORDS,
  checkMessage,
  checkPayload,
  decodeMessage,
  decodePayload,
  encodeMessage,
  encodePayload,
  recordBytes,
  type CodecOptions,
  type MvdsLimits,
} from './codec.js'
export {
  backoffPolicy,
  bspBackoff,
  constantBackoff,
  exponentialBackoff,
  linearBackoff,
  statusGoBackoff,
  type BackoffName,
  type BackoffPolicy,
} from './backoff.js'
export type { DeliveryMode } from './dag.js'
export {
  peerKey,
  parsePeerKey,
  type MessageStore,
  type MvdsStores,
  type PeerKey,
  type PeerStore,
  type SyncRecord,
  type SyncStateStore,
} from './stores.js'
export { memoryStores, rawMemoryStores } from './memory-store.js'
export {
  DEFAULT_EPOCH_MS,
  DEFAULT_MAX_MESSAGES,
  DEFAULT_MAX_STATE,
  DEFAULT_MAX_PENDING_ACKS,
  DEFAULT_MAX_STATE_PER_PEER,
  EPHEMERAL_SEEN,
  type AppendOptions,
  type Delivery,
  type MvdsNode,
  type MvdsNodeOptions,
  type MvdsPeer,
  type MvdsStats,
  type RecordCounts,
  type SyncMode,
} from './node-options.js'
export { createMvdsNode } from './node.js'
export { Outbox, splitOutbox, type SplitResult } from './outbox.js'
