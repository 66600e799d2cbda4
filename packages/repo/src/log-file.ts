// One open poc-01 log file: the header in memory, a file descriptor, and nothing else (O(1) memory
// whatever the log's length). Synchronous fd calls keep writes fast (no per-append open/close or
// promise round trips through the thread pool) and make each write one uninterrupted critical
// section, which is what serializes concurrent appends to one log. A durable log syncs off the
// event loop, one fdatasync for the writes made together (group-commit.ts).
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync } from 'node:fs'
import type { LogDamage } from './log-chain.js'
import { checkEntry, decodeEntry, equalBytes, MAX_SEQ, PacketError, toHex, type Entry, type LogInfo, type Verifier } from '@tinyssb/packet'
import { errnoCode, ioError, StoreError } from './errors.js'
import { repairTail, type LogRepair } from './crash-repair.js'
import { readAll, writeAll } from './fs-dir.js'
import { groupCommit } from './group-commit.js'
import {
  BLOCK_RESERVED_BYTES,
  encodeFront,
  HEADER_OFFSET,
  LOG_BLOCK_BYTES,
  LOG_HEADER_BYTES,
  parseLogHeader,
} from './log-header.js'

export type { LogRepair } from './crash-repair.js'
export { decodeBlock } from './log-stream.js'

/** An open log file. Owned by the file store, which keeps a bounded number open. */
export interface LogFile {
  readonly path: string
  /** The header as committed: readers see the entries up to its front. Replaced (never mutated). */
  info: LogInfo
  /**
   * Where appends continue: the front of the blocks written. Beyond `info` while a durable commit
   * waits for its sync (those entries are not readable yet); equal to it otherwise.
   */
  tail: LogInfo
  /** Whether the chain from the anchor to the front was followed since the log was opened. */
  chainChecked: boolean
  /** Damage known in this log (found by the chain check or by verify); appends are refused then. */
  damage: LogDamage | undefined
  /** Reads the 120-byte wire of `seq`; the caller checks anchorSeq < seq ≤ frontSeq. */
  readWire(seq: number): Uint8Array
  /** Reads `count` consecutive blocks from `seq` (128 bytes each, reserved bytes included). */
  readBlocks(seq: number, count: number): Uint8Array
  /** Reads the wires of `count` consecutive entries from `seq` with one read (views of one buffer); the caller checks the range. */
  readWires(seq: number, count: number): Uint8Array[]
  /**
   * Writes consecutive entries already checked against `tail` (checkAppend) with one block write.
   * Not durable: the header front too, and `info` moves at once. Durable: `commit()` makes them
   * count (sync, then header).
   */
  write(entries: readonly Entry[]): void
  /**
   * Resolves once every entry written so far is on disk and counted in `info`: at once when not
   * durable; else after an fdatasync that started after the write (shared by the writes made
   * meanwhile, see group-commit.ts). Rejects (StoreError STORE_IO) when the sync fails: the log is
   * cut back to `info` then.
   */
  commit(): Promise<void>
  /** Whether a durable commit runs or waits (such a log is not closed to bound open files). */
  busy(): boolean
  /** Moves the front back to `seq` (whose mid is `mid`), cutting the blocks after it; returns the bytes cut. Not while busy. */
  truncate(seq: number, mid: Uint8Array): number
  /** Identifies this version of the file (inode, size, change time), to skip checks of an unchanged file. */
  stamp(): string
  /**
   * Closes the file once no commit runs (durable: after syncing the last header update, so a
   * clean close leaves nothing to roll forward). Resolves when it is closed.
   */
  close(): Promise<void>
}

/** Offset of the block of `seq` in a log whose anchor is `anchorSeq`. */
function blockOffset(anchorSeq: number, seq: number): number {
  return LOG_BLOCK_BYTES * (seq - anchorSeq)
}

/**
 * Opens a log file and repairs what an interrupted append can leave behind (see {@link LogRepair}),
 * unless `readOnly`.
 * @returns the open log and the repairs made, or undefined when the file does not exist.
 * @throws StoreError STORE_CORRUPT (short header, header for another feed, impossible header
 *   fields), STORE_IO.
 */
export function openLogFile(
  path: string,
  fid: Uint8Array,
  verifier: Verifier,
  durable: boolean,
  readOnly = false,
): { file: LogFile; repairs: LogRepair[] } | undefined {
  const r = openRepaired(path, fid, verifier, durable, readOnly)
  return r && { file: logFile(r.fd, path, r.info, durable), repairs: r.repairs }
}

/**
 * {@link openLogFile} for the header only: the log's info (repaired as there, unless `readOnly`) and
 * the repairs made, the file closed again; no log object is built (a node reading the headers of
 * thousands of logs keeps nothing per log).
 */
export function readLogInfo(path: string, fid: Uint8Array, verifier: Verifier, durable: boolean, readOnly = false): { info: LogInfo; repairs: LogRepair[] } | undefined {
  const r = openRepaired(path, fid, verifier, durable, readOnly)
  if (!r) return undefined
  closeSync(r.fd)
  return { info: r.info, repairs: r.repairs }
}

/** Opens a log file, reads its header and repairs its tail (not when `readOnly`); the file stays open. */
function openRepaired(path: string, fid: Uint8Array, verifier: Verifier, durable: boolean, readOnly: boolean): { fd: number; info: LogInfo; repairs: LogRepair[] } | undefined {
  let fd: number
  try {
    fd = openSync(path, readOnly ? 'r' : 'r+')
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined
    throw ioError(`cannot open log ${path}`, err)
  }
  try {
    const info = readHeader(fd, path, fid)
    const repairs: LogRepair[] = []
    // read-only: never write, so a reader cannot race a writer in another process; the header is
    // taken as it is (a torn tail beyond it is ignored; missing entries show up as STORE_CORRUPT)
    return { fd, info: readOnly ? info : repairTail(fd, path, info, verifier, durable, repairs), repairs }
  } catch (err) {
    closeSync(fd)
    if (err instanceof StoreError) throw err
    throw ioError(`cannot read log ${path}`, err)
  }
}

function readHeader(fd: number, path: string, fid: Uint8Array): LogInfo {
  const header = new Uint8Array(LOG_HEADER_BYTES)
  const n = readAll(fd, header, 0)
  if (n < LOG_HEADER_BYTES) {
    throw new StoreError('STORE_CORRUPT', `log ${path}: ${n} bytes, shorter than the ${LOG_HEADER_BYTES}-byte header`)
  }
  let info: LogInfo
  try {
    info = parseLogHeader(header)
  } catch (err) {
    throw new StoreError('STORE_CORRUPT', `log ${path}: ${(err as Error).message}`, { cause: err })
  }
  if (!equalBytes(info.fid, fid)) {
    throw new StoreError('STORE_CORRUPT', `log ${path}: header holds feed ${toHex(info.fid)}, not the feed the file is named for`)
  }
  return info
}

function logFile(fd: number, path: string, initial: LogInfo, durable: boolean): LogFile {
  let open = true
  let headerDirty = false // durable: a header front written since the last sync
  const front = new Uint8Array(LOG_HEADER_BYTES - HEADER_OFFSET.FRONT_SEQ)
  const frontView = new DataView(front.buffer)
  const corrupt = (seq: number, got: number): StoreError =>
    new StoreError('STORE_CORRUPT', `log ${path}: entry ${seq} is cut short (${got} of 128 bytes): an interrupted append (repaired when the log is next opened for writing) or one in progress`)
  const writeFront = (seq: number, mid: Uint8Array): void => {
    frontView.setUint32(0, seq) // front seq (BE32) ‖ front mid
    front.set(mid, 4)
    writeAll(fd, front, HEADER_OFFSET.FRONT_SEQ)
  }
  const sizeOf = (info: LogInfo): number => LOG_HEADER_BYTES + LOG_BLOCK_BYTES * (info.frontSeq - info.anchorSeq)
  // Durable appends: the blocks are synced before the header counts them, and the header write is
  // synced by the next commit (or on close): a header is never ahead of the blocks on disk, and a
  // header that lags behind synced blocks is rolled forward on open (see repair above).
  const commits = groupCommit<LogInfo>({
    fd,
    mark: () => lf.tail,
    synced(tail) {
      if (tail === lf.info) return
      try {
        writeFront(tail.frontSeq, tail.frontMid)
      } catch (err) {
        throw ioError(`cannot update the header of log ${path}`, err)
      }
      headerDirty = true
      lf.info = tail
    },
    failed() {
      // what the page cache holds beyond the synced front may or may not reach the disk: cut it
      lf.tail = lf.info
      try {
        ftruncateSync(fd, sizeOf(lf.info))
      } catch {
        // the next open repairs the tail
      }
    },
  })
  const lf: LogFile = {
    path,
    info: initial,
    tail: initial,
    chainChecked: false,
    damage: undefined,
    readWire(seq) {
      // the wire only (the reserved bytes skipped): one buffer, no block copied out of another
      const wire = new Uint8Array(LOG_BLOCK_BYTES - BLOCK_RESERVED_BYTES)
      const n = readAll(fd, wire, blockOffset(lf.info.anchorSeq, seq) + BLOCK_RESERVED_BYTES)
      if (n < wire.length) throw corrupt(seq, BLOCK_RESERVED_BYTES + n)
      return wire
    },
    readWires(seq, count) {
      const blocks = lf.readBlocks(seq, count)
      const wires = new Array<Uint8Array>(count)
      for (let i = 0; i < count; i++) wires[i] = blocks.subarray(i * LOG_BLOCK_BYTES + BLOCK_RESERVED_BYTES, (i + 1) * LOG_BLOCK_BYTES)
      return wires
    },
    readBlocks(seq, count) {
      const buf = new Uint8Array(LOG_BLOCK_BYTES * count)
      const n = readAll(fd, buf, blockOffset(lf.info.anchorSeq, seq))
      if (n < buf.length) throw corrupt(seq + Math.floor(n / LOG_BLOCK_BYTES), n % LOG_BLOCK_BYTES)
      return buf
    },
    write(entries) {
      if (entries.length === 0) return
      const first = entries[0]!
      const lastEntry = entries[entries.length - 1]!
      const offset = blockOffset(lf.tail.anchorSeq, first.seq)
      const blocks = new Uint8Array(LOG_BLOCK_BYTES * entries.length)
      entries.forEach((e, i) => blocks.set(e.wire, i * LOG_BLOCK_BYTES + BLOCK_RESERVED_BYTES))
      try {
        writeAll(fd, blocks, offset)
      } catch (err) {
        try {
          ftruncateSync(fd, offset) // drop partial blocks so the file stays 128 + k·128
        } catch {
          // the next open repairs it
        }
        throw ioError(`cannot append entry ${first.seq} to log ${path}`, err)
      }
      const tail = { ...lf.tail, frontSeq: lastEntry.seq, frontMid: lastEntry.mid.slice() }
      lf.tail = tail
      if (durable) return
      try {
        writeFront(lastEntry.seq, lastEntry.mid)
      } catch (err) {
        // The blocks are written but the header may not count them: the next open rolls them
        // forward, and until then a retry of these seqs simply rewrites the same blocks.
        lf.tail = lf.info
        throw ioError(`cannot update the header of log ${path}`, err)
      }
      lf.info = tail
    },
    async commit() {
      if (!durable || (lf.tail === lf.info && !commits.busy())) return
      try {
        await commits.wait()
      } catch (err) {
        if (err instanceof StoreError) throw err
        throw ioError(`cannot sync log ${path}`, err)
      }
    },
    busy: () => commits.busy(),
    truncate(seq, mid) {
      const size = LOG_HEADER_BYTES + LOG_BLOCK_BYTES * (seq - lf.info.anchorSeq)
      try {
        const cut = Math.max(0, fstatSync(fd).size - size)
        writeAll(fd, encodeFront(seq, mid), HEADER_OFFSET.FRONT_SEQ)
        ftruncateSync(fd, size)
        if (durable) fdatasyncSync(fd)
        lf.info = { ...lf.info, frontSeq: seq, frontMid: mid.slice() }
        lf.tail = lf.info
        return cut
      } catch (err) {
        throw ioError(`cannot cut log ${path} back to entry ${seq}`, err)
      }
    },
    stamp() {
      const st = fstatSync(fd, { bigint: true })
      return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`
    },
    close() {
      if (!open) return Promise.resolve()
      open = false
      const closeNow = (): void => {
        try {
          if (headerDirty) fdatasyncSync(fd)
        } catch {
          // the header lags at worst: the next open rolls the synced blocks forward
        }
        closeSync(fd)
      }
      if (!commits.busy()) return Promise.resolve(closeNow())
      return commits.idle().then(closeNow) // the fd stays open while a sync may use it
    },
  }
  return lf
}
