// In-memory LogStore and BlobStore: real code (docs/CONTRIBUTING.md "In-memory fakes are real code"), with the
// same checks and errors as the file-system stores; used by tests and by nodes that keep nothing.
import { BLOB_BYTES, DMX_BYTES, blobPointer, toHex, type BlobStore, type Entry, type LogInfo, type LogStore, type StoredEntry, type TypedEntry, type Verifier } from '@tinyssb/packet'
import { checkLog, type LogCheck } from './check-log.js'
import { checkBytes, checkFid, checkPointer } from './checks.js'
import { copyInfo } from './log-header.js'
import { rangeLength } from './range.js'
import { checkAppend, checkAppendManyAsync, closed, exists, firstSeq, movedWhileChecking, newLogInfo, notFound } from './log-rules.js'

/** A LogStore that can also check a whole log ({@link checkLog} with the store's verifier), and has entriesOfType. */
export interface VerifiableLogStore extends LogStore {
  /** fsck of one log; see {@link checkLog}. */
  verify(fid: Uint8Array): Promise<LogCheck>
  /** The entries of one type byte; see LogStore.entriesOfType. */
  entriesOfType(fid: Uint8Array, type: number, from?: number): AsyncIterable<TypedEntry>
  /** Consecutive wires; see LogStore.getRange (at most MAX_RANGE_ENTRIES per call). */
  getRange(fid: Uint8Array, from: number, count: number): Promise<Uint8Array[]>
}

/** Options of {@link memoryLogStore}. */
export interface MemoryLogStoreOptions {
  /** Checks the signature of every appended entry. */
  readonly verifier: Verifier
}

interface MemoryLog {
  info: LogInfo
  readonly wires: Uint8Array[]
  readonly mids: Uint8Array[]
}

/** Appends entries that were checked against `log.info` (copies, so callers keep their bytes). */
function push(log: MemoryLog, entries: readonly Entry[]): void {
  for (const e of entries) {
    log.wires.push(e.wire.slice())
    log.mids.push(e.mid.slice())
    log.info = { ...log.info, frontSeq: e.seq, frontMid: e.mid.slice() }
  }
}

/**
 * An in-memory {@link LogStore}: the same rules as the file store (seq = front+1, DMX, signature),
 * nothing persisted.
 * @param opts - the verifier used by `append` and `verify`.
 * @returns a fresh, empty store.
 * @example
 * ```ts
 * const logs = memoryLogStore({ verifier: nodeEd25519 })
 * await logs.create(fid)
 * await logs.append(fid, 1, genesisWire)
 * ```
 */
export function memoryLogStore(opts: MemoryLogStoreOptions): VerifiableLogStore {
  const { verifier } = opts
  const logs = new Map<string, MemoryLog>()
  let isClosed = false

  const open = (): void => {
    if (isClosed) throw closed('memory log store')
  }
  const find = (fid: Uint8Array): MemoryLog | undefined => {
    open()
    checkFid(fid)
    return logs.get(toHex(fid))
  }

  const store: VerifiableLogStore = {
    async create(fid, options) {
      if (find(fid)) throw exists(fid)
      const info = newLogInfo(fid, options)
      logs.set(toHex(fid), { info, wires: [], mids: [] })
      return copyInfo(info)
    },
    async info(fid) {
      const log = find(fid)
      return log && copyInfo(log.info)
    },
    async get(fid, seq) {
      const log = find(fid)
      if (!log || !Number.isInteger(seq) || seq <= log.info.anchorSeq || seq > log.info.frontSeq) return undefined
      return log.wires[seq - log.info.anchorSeq - 1]!.slice()
    },
    async getRange(fid, from, count) {
      const log = find(fid)
      const n = log ? rangeLength(log.info, from, count) : 0
      const first = from - (log?.info.anchorSeq ?? 0) - 1
      return Array.from({ length: n }, (_, i) => log!.wires[first + i]!.slice())
    },
    async append(fid, seq, wire) {
      const log = find(fid)
      if (!log) throw notFound(fid)
      push(log, [checkAppend(log.info, seq, wire, verifier)])
      return copyInfo(log.info)
    },
    async appendMany(fid, seq, wires) {
      const log = find(fid)
      if (!log) throw notFound(fid)
      const before = log.info
      const { entries, error } = await checkAppendManyAsync(before, seq, wires, verifier)
      if (log.info !== before) throw movedWhileChecking(before, seq)
      push(log, entries)
      return { info: copyInfo(log.info), appended: entries.length, ...(error === undefined ? {} : { error }) }
    },
    entries(fid, from) {
      return {
        async *[Symbol.asyncIterator](): AsyncGenerator<StoredEntry> {
          const log = find(fid)
          if (!log) throw notFound(fid)
          const { anchorSeq, anchorMid, frontSeq } = log.info
          for (let seq = firstSeq(log.info, from); seq <= frontSeq; seq++) {
            const i = seq - anchorSeq - 1
            const prev = i === 0 ? anchorMid : log.mids[i - 1]!
            yield { seq, prev: prev.slice(), wire: log.wires[i]!.slice(), mid: log.mids[i]!.slice() }
          }
        },
      }
    },
    entriesOfType(fid, type, from) {
      return {
        async *[Symbol.asyncIterator](): AsyncGenerator<TypedEntry> {
          const log = find(fid)
          if (!log) throw notFound(fid)
          const { anchorSeq, frontSeq } = log.info
          for (let seq = firstSeq(log.info, from); seq <= frontSeq; seq++) {
            const wire = log.wires[seq - anchorSeq - 1]!
            if (wire[DMX_BYTES] === type) yield { seq, wire: wire.slice() }
          }
        },
      }
    },
    feeds() {
      return {
        async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
          open()
          for (const log of [...logs.values()]) yield log.info.fid.slice()
        },
      }
    },
    async close() {
      isClosed = true
      logs.clear()
    },
    verify(fid) {
      return checkLog(store, fid, verifier)
    },
  }
  return store
}

/**
 * An in-memory {@link BlobStore}: content-addressed 120-byte blobs.
 * @returns a fresh, empty store.
 * @throws (put) PacketError PACKET_LENGTH for a blob that is not 120 bytes; (get/has) for a
 *   pointer that is not 20 bytes.
 */
export function memoryBlobStore(): BlobStore {
  const blobs = new Map<string, Uint8Array>()
  return {
    async put(blob) {
      checkBytes(blob, BLOB_BYTES, 'blob')
      const ptr = blobPointer(blob)
      const key = toHex(ptr)
      if (!blobs.has(key)) blobs.set(key, blob.slice())
      return ptr.slice()
    },
    async get(ptr) {
      checkPointer(ptr)
      return blobs.get(toHex(ptr))?.slice()
    },
    async has(ptr) {
      checkPointer(ptr)
      return blobs.has(toHex(ptr))
    },
  }
}
