// The narrow interfaces the packages meet at. Types only: importing them costs nothing at run time.
// Stores speak in entries and blobs, never byte offsets; faces move whole frames; time is handed in.

/** What a store knows about one log (the log file header of poc-01). */
export interface LogInfo {
  /** 32-byte feed ID. */
  readonly fid: Uint8Array
  /** The parent feed of a sub-feed, or undefined. */
  readonly parentFid: Uint8Array | undefined
  /** The entry of the parent feed that created this sub-feed (0 if none). */
  readonly parentSeq: number
  /** The trusted seq the log starts after (0 for a log that starts at genesis). */
  readonly anchorSeq: number
  /** The trusted mid: prev of entry anchorSeq+1 (fid[0:20] for a genesis log). */
  readonly anchorMid: Uint8Array
  /** Seq of the last entry held (anchorSeq when there is none). */
  readonly frontSeq: number
  /** Mid of the last entry held (anchorMid when there is none). */
  readonly frontMid: Uint8Array
}

/** How a new log starts. */
export interface CreateLogOptions {
  /** Default 0: the log starts at genesis. */
  readonly anchorSeq?: number
  /** Default fid[0:20], the prev of a genesis entry. */
  readonly anchorMid?: Uint8Array
  readonly parentFid?: Uint8Array
  readonly parentSeq?: number
}

/** A decoded entry as read back from a store, with its correct mid. */
export interface StoredEntry {
  readonly seq: number
  readonly prev: Uint8Array
  readonly wire: Uint8Array
  readonly mid: Uint8Array
}

/** An entry as {@link LogStore.entriesOfType} hands it out: its seq and wire bytes (a copy). */
export interface TypedEntry {
  readonly seq: number
  readonly wire: Uint8Array
}

/** Append-only logs, one per feed. */
export interface LogStore {
  /**
   * Creates an empty log (a trust anchor when anchorSeq/anchorMid are given).
   * @throws StoreError STORE_EXISTS when the log exists already.
   */
  create(fid: Uint8Array, options?: CreateLogOptions): Promise<LogInfo>
  /** The log's header, or undefined when the store holds no log for `fid`. */
  info(fid: Uint8Array): Promise<LogInfo | undefined>
  /** The 120 wire bytes of entry `seq`, or undefined when not held (also seq ≤ anchorSeq). */
  get(fid: Uint8Array, seq: number): Promise<Uint8Array | undefined>
  /**
   * Optional: the 120 wire bytes of entries `from`, `from+1`, … while held, at most `count`, read
   * together (the file store: one read). A store may return fewer (it caps one call; ask again
   * from where it stopped). [] when `from` is not held (also from ≤ anchorSeq, an unknown feed)
   * or `count` < 1. The wires are copies and may share one buffer. The WANT server reads runs of
   * consecutive records with it.
   */
  getRange?(fid: Uint8Array, from: number, count: number): Promise<Uint8Array[]>
  /**
   * Appends entry `seq` after checking it: seq must be frontSeq+1, then the DMX, then the signature.
   * @returns the new log info.
   * @throws StoreError STORE_NOT_FOUND (no such log), STORE_SEQ (not front+1);
   *   PacketError PACKET_LENGTH / PACKET_DMX / PACKET_SIGNATURE for a bad entry.
   */
  append(fid: Uint8Array, seq: number, wire: Uint8Array): Promise<LogInfo>
  /**
   * Optional: appends consecutive entries `seq`, `seq+1`, … with the same checks as append(), in
   * one write. The longest valid prefix is appended; `error` says why the next entry was refused.
   * Replication uses it, when present, to catch up in batches.
   * @throws StoreError STORE_NOT_FOUND, STORE_SEQ (when `seq` is not front+1: nothing is appended).
   */
  appendMany?(fid: Uint8Array, seq: number, wires: readonly Uint8Array[], opts?: AppendManyOptions): Promise<AppendManyResult>
  /** Entries from `from` (default anchorSeq+1) to the front, in order, with correct mids. */
  entries(fid: Uint8Array, from?: number): AsyncIterable<StoredEntry>
  /**
   * Optional: the entries whose type byte (wire[7], see ENTRY_TYPE) is `type`, from `from` (default
   * anchorSeq+1) to the front, in order, without mids: a store may answer from an index or read the
   * type bytes only, instead of following the chain as entries() does. Replication's start-up
   * sidechain scan uses it to find chain20 entries without reading every log.
   * @throws StoreError STORE_NOT_FOUND (no such log).
   */
  entriesOfType?(fid: Uint8Array, type: number, from?: number): AsyncIterable<TypedEntry>
  /** Every feed ID with a log in this store. */
  feeds(): AsyncIterable<Uint8Array>
  close(): Promise<void>
}

/** Options of {@link LogStore.appendMany}. */
export interface AppendManyOptions {
  /**
   * Called at most once, when the entries are written but before they are synced (a durable
   * store; the promise resolves after the sync): from then on the next appendMany of the log may
   * start at `result.info.frontSeq + 1` and is checked while this one syncs. `result` is what the
   * promise resolves to if the sync succeeds; if it fails the promise rejects and the log is cut
   * back to what was synced. A store that syncs nothing need not call it. It must not throw (a
   * store ignores what it throws).
   */
  onWritten?(result: AppendManyResult): void
}

/** What {@link LogStore.appendMany} did. */
export interface AppendManyResult {
  /** The log after the append. */
  readonly info: LogInfo
  /** How many entries were appended (a prefix of the wires given). */
  readonly appended: number
  /** Why entry seq+appended was refused (a PacketError), when not all were appended. */
  readonly error?: unknown
}

/** Content-addressed sidechain blobs (120 bytes each). */
export interface BlobStore {
  /** Stores a blob; returns its 20-byte pointer sha256(blob)[0:20]. Storing twice is fine. */
  put(blob: Uint8Array): Promise<Uint8Array>
  /** The blob with pointer `ptr`, or undefined. */
  get(ptr: Uint8Array): Promise<Uint8Array | undefined>
  has(ptr: Uint8Array): Promise<boolean>
}

/** Face, PeerId and Clock live in @tinyssb/core (the seams); re-exported here for one release. */
export type { Face, PeerId, Clock } from '@tinyssb/core'
