// The three stores of a node, as interfaces (after the Go reference's store, state and peers
// packages): messages by id, sync state per (peer, message id, record type), the peers each group
// is shared with, and the epoch. Synchronous on purpose: the node decides and sends in one task;
// a disk implementation keeps an in-memory index and makes mutations durable at flush().
import type { MvdsMessage, RecordType } from './types.js'

/**
 * A peer as the node stores it: the face's name and the PeerId that face gives it, joined by
 * {@link peerKey}. Stable across restarts as long as the face keeps its name.
 */
export type PeerKey = string

/** The {@link PeerKey} of peer `id` on the face named `faceName`. */
export function peerKey(faceName: string, id: string): PeerKey {
  return JSON.stringify([faceName, id])
}

/** The face name and PeerId of a {@link PeerKey}. @throws TypeError for a string that is not one. */
export function parsePeerKey(key: PeerKey): { readonly face: string; readonly id: string } {
  const v: unknown = JSON.parse(key)
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') {
    throw new TypeError(`mvds: not a peer key: ${key}`)
  }
  return { face: v[0], id: v[1] }
}

/** One state record (2/MVDS "state"): when and how often a record went to a peer. */
export interface SyncRecord {
  readonly peer: PeerKey
  /** Message id, 32 bytes. */
  readonly id: Uint8Array
  readonly type: RecordType
  /** The message's group, when known (a REQUEST made from an OFFER has none). */
  readonly groupId?: Uint8Array | undefined
  readonly sendCount: number
  /** The epoch from which the record is due. */
  readonly sendEpoch: number
  /** 0, or 1, 2… for the duplicate records the Go reference accumulates (`dedupe: false`). */
  readonly copy: number
}

/** Messages by id. Ephemeral messages never get here. */
export interface MessageStore {
  has(id: Uint8Array): boolean
  get(id: Uint8Array): MvdsMessage | undefined
  /** Stores `message` under `id` (its {@link messageId}); false when it was there already. */
  add(id: Uint8Array, message: MvdsMessage): boolean
  /** Every stored [id, message], in the order they were added. */
  entries(): IterableIterator<readonly [Uint8Array, MvdsMessage]>
  readonly size: number
}

/** The sync state, keyed by (peer, id, type, copy). */
export interface SyncStateStore {
  get(peer: PeerKey, id: Uint8Array, type: RecordType, copy?: number): SyncRecord | undefined
  /** Inserts or replaces the record with the same key; a replaced record keeps its place in the order. */
  put(record: SyncRecord): void
  /** Removes every record (all copies) for (peer, id), or of one type only; returns how many went. */
  remove(peer: PeerKey, id: Uint8Array, type?: RecordType): number
  /** Every record, in the order first put. Safe to mutate the store while iterating a copy. */
  records(): SyncRecord[]
  /** How many records a peer has. */
  count(peer: PeerKey): number
  readonly size: number
}

/** Which peers each group is shared with, and the node's epoch. */
export interface PeerStore {
  /** Shares `group` with `peer`; false when it was already. */
  add(group: Uint8Array, peer: PeerKey): boolean
  /** Stops sharing; false when it was not shared. */
  remove(group: Uint8Array, peer: PeerKey): boolean
  /** The peers `group` is shared with, in the order added. */
  peers(group: Uint8Array): PeerKey[]
  shares(group: Uint8Array, peer: PeerKey): boolean
  /** Every group shared with some peer. */
  groups(): Uint8Array[]
  getEpoch(): number
  setEpoch(epoch: number): void
}

/** The stores of one node, opened together. */
export interface MvdsStores {
  readonly messages: MessageStore
  readonly state: SyncStateStore
  readonly peers: PeerStore
  /** Makes every mutation so far durable (a no-op in memory). @throws MvdsError MVDS_STORE_IO. */
  flush(): void
  /** Flushes and releases the stores; a later flush() or mutation of a disk store throws MVDS_CLOSED. */
  close(): void
}
