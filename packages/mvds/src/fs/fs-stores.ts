// The disk stores (Node only): the in-memory stores, rebuilt on open by replaying an append-only
// journal, and every mutation appended to it. flush() writes what is buffered and fdatasyncs, so
// a crash (SIGKILL, power loss) after flush() loses nothing; a record torn by a crash mid-write
// is cut on the next open. The journal is compacted (rewritten as a snapshot, fsync, rename) when
// it holds far more records than the state it describes.
import { closeSync, existsSync, fdatasyncSync, fsyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { MvdsError } from '../errors.js'
import { rawMemoryStores } from '../memory-store.js'
import type { MessageStore, MvdsStores, PeerStore, SyncStateStore } from '../stores.js'
import { HEADER_BYTES, MAX_RECORD_BYTES, crc32, decodeEntry, encodeEntry, type JournalEntry } from './journal-codec.js'
import { acquireLock } from './lock.js'

export const JOURNAL_FILE = 'mvds.journal'
/** Compact when the journal holds this many records more than 4× the live ones. */
export const COMPACT_SLACK_RECORDS = 10_000

/** What open() repaired. */
export interface FsRepair {
  readonly kind: 'torn-tail'
  /** Where the journal was cut, and how many bytes went. */
  readonly offset: number
  readonly bytesCut: number
}

/** Options of {@link openFsStores}. */
export interface FsStoresOptions {
  /** The directory holding the journal. */
  readonly dir: string
  /** Create the directory and journal when missing (default false: a typo never writes to a surprising place). */
  readonly createIfMissing?: boolean
  /** Told about every repair made on open. */
  readonly onRepair?: (repair: FsRepair) => void
}

const io = (what: string, fn: () => void): void => {
  try {
    fn()
  } catch (err) {
    throw new MvdsError('MVDS_STORE_IO', `mvds fs store: ${what}: ${(err as Error).message}`, { cause: err })
  }
}

function readAll(fd: number): Uint8Array {
  const size = fstatSync(fd).size
  const buf = new Uint8Array(size)
  let at = 0
  while (at < size) {
    const n = readSync(fd, buf, at, size - at, at)
    if (n === 0) break
    at += n
  }
  return buf.subarray(0, at)
}

/**
 * Opens (or creates) the disk stores in `dir`. One process at a time: a lock file refuses a second.
 * @throws MvdsError MVDS_STORE_IO (missing directory without createIfMissing, locked, I/O),
 *   MVDS_STORE_CORRUPT (a whole record whose content cannot be read).
 * @example
 * const stores = openFsStores({ dir: './mvds-data', createIfMissing: true })
 * const node = createMvdsNode({ faces: [face], stores })
 */
export function openFsStores(options: FsStoresOptions): MvdsStores {
  const { dir } = options
  if (!existsSync(dir)) {
    if (!options.createIfMissing) throw new MvdsError('MVDS_STORE_IO', `mvds fs store: no directory ${dir} (createIfMissing is false)`)
    io('mkdir', () => mkdirSync(dir, { recursive: true }))
  }
  const releaseLock = acquireLock(dir)
  const path = join(dir, JOURNAL_FILE)
  let fd = -1
  const raw = rawMemoryStores()
  let journalRecords = 0
  try {
    rmSync(`${path}.tmp`, { force: true }) // a compaction cut by a crash
    io('open', () => (fd = openSync(path, 'a+')))
    const data = readAll(fd)
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    let at = 0
    while (at < data.length) {
      const len = at + HEADER_BYTES <= data.length ? view.getUint32(at, true) : -1
      const end = at + HEADER_BYTES + len
      if (len < 0 || len > MAX_RECORD_BYTES || end > data.length || crc32(data.subarray(at + HEADER_BYTES, end)) !== view.getUint32(at + 4, true)) {
        const cut = at
        io('truncate', () => (ftruncateSync(fd, cut), fdatasyncSync(fd)))
        options.onRepair?.({ kind: 'torn-tail', offset: cut, bytesCut: data.length - cut })
        break
      }
      let entry: JournalEntry
      try {
        entry = decodeEntry(data.subarray(at + HEADER_BYTES, end))
      } catch (err) {
        throw new MvdsError('MVDS_STORE_CORRUPT', `mvds fs store: ${path} at ${at}: ${(err as Error).message}`, { cause: err })
      }
      apply(raw, entry)
      journalRecords++
      at = end
    }
  } catch (err) {
    if (fd >= 0) closeSync(fd)
    releaseLock()
    throw err
  }

  let buffered: Uint8Array[] = []
  let closed = false
  const log = (e: JournalEntry): void => {
    if (closed) throw new MvdsError('MVDS_CLOSED', 'mvds fs store: closed')
    buffered.push(encodeEntry(e))
    journalRecords++
  }
  const live = (): number => raw.messages.size + raw.state.size + raw.peers.groups().reduce((n, g) => n + raw.peers.peers(g).length, 0) + 1

  const compact = (): void => {
    const tmp = `${path}.tmp`
    io('compact', () => {
      const out = openSync(tmp, 'w')
      const chunks: Uint8Array[] = [encodeEntry({ kind: 'epoch', epoch: raw.peers.getEpoch() })]
      for (const g of raw.peers.groups()) for (const peer of raw.peers.peers(g)) chunks.push(encodeEntry({ kind: 'peer-add', group: g, peer }))
      for (const [id, message] of raw.messages.entries()) chunks.push(encodeEntry({ kind: 'message', id, message }))
      for (const record of raw.state.records()) chunks.push(encodeEntry({ kind: 'state-put', record }))
      for (const c of chunks) writeSync(out, c)
      fdatasyncSync(out)
      closeSync(out)
      closeSync(fd)
      renameSync(tmp, path)
      const dirFd = openSync(dir, 'r')
      fsyncSync(dirFd)
      closeSync(dirFd)
      fd = openSync(path, 'a+')
      journalRecords = chunks.length
    })
  }

  const flush = (): void => {
    if (closed) throw new MvdsError('MVDS_CLOSED', 'mvds fs store: closed')
    if (buffered.length > 0) {
      const chunks = buffered
      buffered = []
      io('write', () => {
        for (const c of chunks) writeSync(fd, c)
        fdatasyncSync(fd)
      })
    }
    if (journalRecords > 4 * live() + COMPACT_SLACK_RECORDS) compact()
  }

  const messages: MessageStore = {
    has: (id) => raw.messages.has(id),
    get: (id) => raw.messages.get(id),
    entries: () => raw.messages.entries(),
    get size() {
      return raw.messages.size
    },
    add(id, message) {
      if (raw.messages.has(id)) return false
      log({ kind: 'message', id, message })
      return raw.messages.add(id, message)
    },
  }
  const state: SyncStateStore = {
    get: (peer, id, type, copy) => raw.state.get(peer, id, type, copy),
    records: () => raw.state.records(),
    count: (peer) => raw.state.count(peer),
    get size() {
      return raw.state.size
    },
    put(record) {
      log({ kind: 'state-put', record })
      raw.state.put(record)
    },
    remove(peer, id, type) {
      const n = raw.state.remove(peer, id, type)
      if (n > 0) log({ kind: 'state-remove', peer, id, type })
      return n
    },
  }
  const peers: PeerStore = {
    peers: (g) => raw.peers.peers(g),
    shares: (g, p) => raw.peers.shares(g, p),
    groups: () => raw.peers.groups(),
    getEpoch: () => raw.peers.getEpoch(),
    add(group, peer) {
      if (raw.peers.shares(group, peer)) return false
      log({ kind: 'peer-add', group, peer })
      return raw.peers.add(group, peer)
    },
    remove(group, peer) {
      if (!raw.peers.shares(group, peer)) return false
      log({ kind: 'peer-remove', group, peer })
      return raw.peers.remove(group, peer)
    },
    setEpoch(epoch) {
      if (epoch === raw.peers.getEpoch()) return
      raw.peers.setEpoch(epoch)
      log({ kind: 'epoch', epoch })
    },
  }
  return {
    messages,
    state,
    peers,
    flush,
    close() {
      if (closed) return
      flush()
      closed = true
      closeSync(fd)
      releaseLock()
    },
  }
}

function apply(raw: ReturnType<typeof rawMemoryStores>, e: JournalEntry): void {
  switch (e.kind) {
    case 'message':
      raw.messages.add(e.id, e.message)
      break
    case 'state-put':
      raw.state.put(e.record)
      break
    case 'state-remove':
      raw.state.remove(e.peer, e.id, e.type)
      break
    case 'peer-add':
      raw.peers.add(e.group, e.peer)
      break
    case 'peer-remove':
      raw.peers.remove(e.group, e.peer)
      break
    case 'epoch':
      raw.peers.setEpoch(e.epoch)
      break
  }
}
