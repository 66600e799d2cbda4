// "Append to my own feed": the next position from the store, a plain48 or chain20 entry signed by
// the feed's key, the sidechain's blobs stored before the entry that points at them.
import {
  createChainEntry,
  createPlainEntry,
  PAYLOAD_BYTES,
  toHex,
  type BlobStore,
  type Entry,
  type LogInfo,
  type LogStore,
  type Signer,
} from '@tinyssb/packet'
import { StoreError } from './errors.js'

/** The entry types {@link appendToFeed} writes. */
export type OwnEntryType = 'plain48' | 'chain20'

/** Where {@link appendToFeed} writes: the stores and the feed's signer (its public key is the feed ID). */
export interface OwnFeed {
  readonly logs: Pick<LogStore, 'info' | 'create' | 'append'>
  /** Needed for chain20 entries whose content does not fit in the entry itself (over 28 bytes). */
  readonly blobs?: Pick<BlobStore, 'put'> | undefined
  readonly signer: Signer
}

/** Options of {@link appendToFeed}. */
export interface AppendToFeedOptions {
  /**
   * The entry type. Default: plain48 for content of at most 48 bytes, chain20 (a sidechain) for
   * longer content.
   */
  readonly type?: OwnEntryType
}

/** What {@link appendToFeed} appended. */
export interface AppendedEntry {
  /** The signed entry (fid, seq, mid, wire). */
  readonly entry: Entry
  readonly type: OwnEntryType
  /** The sidechain blobs stored for a chain20 entry (empty for plain48 or inline content). */
  readonly blobs: readonly Uint8Array[]
  /** The log after the append. */
  readonly info: LogInfo
}

// One append at a time per store and feed: the next position is read from the store, so two
// overlapping appends would both sign seq front+1 (STORE_SEQ for the second).
const queues = new WeakMap<object, Map<string, Promise<unknown>>>()

function serialized<T>(store: object, fid: Uint8Array, job: () => Promise<T>): Promise<T> {
  let perStore = queues.get(store)
  if (!perStore) queues.set(store, (perStore = new Map()))
  const key = toHex(fid)
  const run = (perStore.get(key) ?? Promise.resolve()).then(job, job)
  const tail = run.then(
    () => undefined,
    () => undefined,
  )
  perStore.set(key, tail)
  void tail.then(() => {
    if (perStore.get(key) === tail) perStore.delete(key)
  })
  return run
}

/**
 * Appends `content` to the signer's own feed: the next entry after the log's front, or the
 * genesis entry (seq 1, prev = fid[0:20]) when the store has no log for the feed yet (the log is
 * created). For a chain20 entry the blobs are stored first, so an entry never points at blobs that
 * are not there. Calls for the same store and feed are queued, never interleaved.
 * @param feed - the log store (and the blob store, for sidechains) and the feed's signer.
 * @param content - the bytes: at most 48 for plain48, any length for chain20.
 * @param options - `type` forces an entry type (default: by length).
 * @returns the entry, its type, the blobs stored and the new log info.
 * @throws PacketError PACKET_PAYLOAD for plain48 content over 48 bytes; StoreError STORE_NO_BLOBS
 *   for a chain20 entry that needs blobs without a blob store; the store's errors (STORE_READ_ONLY,
 *   STORE_IO, …). Nothing is appended when it throws before the store's append.
 * @example
 * ```ts
 * const { entry } = await appendToFeed({ logs, blobs, signer }, new TextEncoder().encode('hello'))
 * await node.publish(entry.fid, entry.wire)
 * ```
 */
export function appendToFeed(feed: OwnFeed, content: Uint8Array, options: AppendToFeedOptions = {}): Promise<AppendedEntry> {
  const type: OwnEntryType = options.type ?? (content.length <= PAYLOAD_BYTES ? 'plain48' : 'chain20')
  const fid = feed.signer.publicKey
  return serialized(feed.logs, fid, async () => {
    const before = (await feed.logs.info(fid)) ?? (await feed.logs.create(fid))
    // an empty genesis log has front = anchor = (0, fid[0:20]): this is the genesis position
    const pos = { fid, seq: before.frontSeq + 1, prev: before.frontMid }
    let entry: Entry
    let blobs: Uint8Array[] = []
    if (type === 'chain20') {
      const made = createChainEntry(pos, content, feed.signer)
      if (made.blobs.length > 0 && !feed.blobs) {
        throw new StoreError('STORE_NO_BLOBS', `a chain20 entry of ${content.length} bytes needs ${made.blobs.length} blobs and no blob store was given`)
      }
      for (const b of made.blobs) await feed.blobs!.put(b)
      entry = made.entry
      blobs = made.blobs
    } else {
      entry = createPlainEntry(pos, content, feed.signer)
    }
    const info = await feed.logs.append(fid, pos.seq, entry.wire)
    return { entry, type, blobs, info }
  })
}
