// Options, public types and counters of an MVDS node.
import type { Clock, Face, PeerId, Random, TrafficStats } from '@tinyssb/core'
import type { BackoffName, BackoffPolicy } from './backoff.js'
import type { MvdsLimits } from './codec.js'
import type { DeliveryMode } from './dag.js'
import type { MvdsStores, SyncRecord } from './stores.js'
import type { MvdsMessage, WireNumbering } from './types.js'

/** Batch: MESSAGE at once. Interactive: OFFER, then MESSAGE when the peer REQUESTs it. */
export type SyncMode = 'batch' | 'interactive'

/** Default epoch length: status-go's 300 ms (the Go reference's simulator uses 1 s). */
export const DEFAULT_EPOCH_MS = 300
/** Default bound on the state records one peer can hold (protects against a flood of OFFERs). */
export const DEFAULT_MAX_STATE_PER_PEER = 10_000
/** Default bound on all state records (many peers, e.g. spoofed UDP sources, each flooding OFFERs). */
export const DEFAULT_MAX_STATE = 1_000_000
/** Default bound on the ACKs waiting for the next epoch, per peer. */
export const DEFAULT_MAX_PENDING_ACKS = 4096
/** Default bound on the messages stored. */
export const DEFAULT_MAX_MESSAGES = 100_000
/** How many ephemeral message ids a node remembers so it relays each once. */
export const EPHEMERAL_SEEN = 4096

/** Options of {@link createMvdsNode}. */
export interface MvdsNodeOptions {
  /** The faces the node sends and receives on; their names must differ (they key the peers). */
  readonly faces: readonly Face[]
  /** Default {@link memoryStores}. The node owns them: close() closes them. */
  readonly stores?: MvdsStores
  /** Default systemClock. */
  readonly clock?: Clock
  /** Default systemRandom (status-go backoff jitter). */
  readonly random?: Random
  /** Epoch length in ms. Default {@link DEFAULT_EPOCH_MS}. */
  readonly epochMs?: number
  /** Tick on the clock every epochMs (default); false: the host calls tick() (a simulator). */
  readonly autoEpoch?: boolean
  /** Default mode of appended and relayed messages. Default 'batch'. */
  readonly mode?: SyncMode
  /** Retransmission schedule. Default 'linear' (the Go reference's simulator). */
  readonly backoff?: BackoffName | BackoffPolicy
  /** When a payload arrives from a peer, records due to it later are sent in the next epoch. Default false. */
  readonly resetOnContact?: boolean
  /** Subscribers get a message at once ('eventual', default) or after all its parents ('consistent'). */
  readonly delivery?: DeliveryMode
  /** Appends name the group's current heads as parents (MVDS-META). Default false: no metadata. */
  readonly dag?: boolean
  /**
   * true (default): a message already held is neither relayed nor re-stated again. false: like the
   * Go reference, every copy received adds state for every other peer again (duplicate records).
   */
  readonly dedupe?: boolean
  /** Field numbers on the wire. Default 'go'. */
  readonly numbering?: WireNumbering
  /** Codec limits (received payloads are checked against them). */
  readonly limits?: Partial<MvdsLimits>
  readonly maxStatePerPeer?: number
  /** Bound on all state records together. Default {@link DEFAULT_MAX_STATE}. */
  readonly maxState?: number
  readonly maxPendingAcks?: number
  readonly maxMessages?: number
  /** Unix seconds for message timestamps. Default the host's wall clock. */
  readonly unixTime?: () => bigint
}

/** A peer: a PeerId on one of the node's faces. */
export interface MvdsPeer {
  readonly face: Face | string
  readonly id: PeerId
}

/** Options of {@link MvdsNode.append}. */
export interface AppendOptions {
  /** This message's mode; default the node's. */
  readonly mode?: SyncMode
  /** No ACK, no retransmission, not stored: sent once to each peer. */
  readonly ephemeral?: boolean
  /** Parents (32-byte ids); default the group's heads when the node has `dag: true`, else none. */
  readonly parents?: readonly Uint8Array[]
  /** int64; default the node's unixTime(). */
  readonly timestamp?: bigint
}

/** A message handed to subscribers. */
export interface Delivery {
  readonly id: Uint8Array
  readonly message: MvdsMessage
  /** Who sent it to us. */
  readonly from: { readonly face: string; readonly id: PeerId }
}

/** Records sent or received, by type. */
export interface RecordCounts {
  acks: number
  offers: number
  requests: number
  messages: number
}

/** Counters of a node. `dropped` is keyed by MvdsError/FaceError code or by a reason below. */
export interface MvdsStats extends TrafficStats {
  readonly sent: RecordCounts
  readonly received: RecordCounts
  /** ACKs that matched no state (already acked, or never sent). */
  acksUnknown: number
  /** Messages received that were already held. */
  duplicates: number
  /** Subscriber callbacks that threw. */
  handlerErrors: number
  epochs: number
}

/** An MVDS node. */
export interface MvdsNode {
  /** The current epoch: the number of epochs run (restored from the stores on open). */
  readonly epoch: number
  readonly stats: MvdsStats
  readonly stores: MvdsStores
  /** Shares `group` (32 bytes) with a peer: appended and relayed messages of the group go to it. */
  addPeer(group: Uint8Array, peer: MvdsPeer): void
  removePeer(group: Uint8Array, peer: MvdsPeer): void
  /**
   * Appends a message to a group; durable (the stores are flushed) when it returns.
   * @returns the message id.
   * @throws MvdsError MVDS_BODY_TOO_LARGE (also when no face could carry it), MVDS_GROUP_LENGTH, MVDS_CLOSED.
   */
  append(group: Uint8Array, body: Uint8Array, options?: AppendOptions): Uint8Array
  /** Adds a REQUEST for `id` to every peer sharing `group`. */
  request(group: Uint8Array, id: Uint8Array): void
  /** Subscribes to delivered messages; returns "unsubscribe". */
  subscribe(handler: (delivery: Delivery) => void): () => void
  /** Subscribes to ACKs that removed state (our message reached the peer); returns "unsubscribe". */
  onAck(handler: (id: Uint8Array, peer: MvdsPeer & { readonly face: string }) => void): () => void
  /** Runs one epoch now: advances the epoch, then sends what is due by it. */
  tick(): void
  /** Makes every record due to `peer` due in the next epoch (what resetOnContact does on receipt). */
  contact(peer: MvdsPeer): void
  /** The sync state records, of one peer or all. */
  pending(peer?: MvdsPeer): SyncRecord[]
  has(id: Uint8Array): boolean
  get(id: Uint8Array): MvdsMessage | undefined
  /** Stops ticking, unsubscribes from the faces, flushes and closes the stores. Faces stay open. */
  close(): Promise<void>
}
