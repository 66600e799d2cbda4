// One open poc-01 log file: the header in memory, a file descriptor, and nothing else (O(1) memory
// whatever the log's length). Synchronous fd calls keep appends fast (no per-append open/close or
// promise round trips through the thread pool) and make each append one uninterrupted critical
// section, which is what serializes concurrent appends to one log.
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs'
import type { LogDamage } from './log-chain.js'
import { checkEntry, decodeEntry, equalBytes, MAX_SEQ, PacketError, toHex, type Entry, type LogInfo, type Verifier } from '@tinyssb/packet'
import { errnoCode, ioError, StoreError } from './errors.js'
import {
  BLOCK_RESERVED_BYTES,
  encodeFront,
  HEADER_OFFSET,
  LOG_BLOCK_BYTES,
  LOG_HEADER_BYTES,
  parseLogHeader,
} from './log-header.js'

/** What {@link openLogFile} did to a log file left behind by a crash (or damaged otherwise). */
export interface LogRepair {
  /** The log file. */
  readonly path: string
  /** The feed ID. */
  readonly fid: Uint8Array
  /**
   * - `partial-block`: the file ended in a torn block (size not 128 + k·128); the partial tail was cut.
   * - `roll-forward`: complete, valid blocks after the header's front (killed between writing the
   *   block and rewriting the header); the header now includes them.
   * - `invalid-tail`: blocks after the front that are not valid next entries were cut.
   * - `front-beyond-file`: the header claims more entries than the file holds (possible after a
   *   power loss without `durable`); the front was moved back to the last valid entry.
   * - `damaged-middle`: the store's `repair(fid)` cut a log damaged in the middle back to its
   *   valid prefix.
   */
  readonly kind: 'partial-block' | 'roll-forward' | 'invalid-tail' | 'front-beyond-file' | 'damaged-middle'
  /** Front seq in the header before the repair. */
  readonly frontBefore: number
  /** Front seq after the repair. */
  readonly frontAfter: number
  /** Bytes cut from the end of the file. */
  readonly bytesCut: number
}

/** An open log file. Owned by the file store, which keeps a bounded number open. */
export interface LogFile {
  readonly path: string
  /** The header; replaced (never mutated) on append. */
  info: LogInfo
  /** Whether the chain from the anchor to the front was followed since the log was opened. */
  chainChecked: boolean
  /** Damage known in this log (found by the chain check or by verify); appends are refused then. */
  damage: LogDamage | undefined
  /** Reads the 120-byte wire of `seq`; the caller checks anchorSeq < seq ≤ frontSeq. */
  readWire(seq: number): Uint8Array
  /** Reads `count` consecutive blocks from `seq` (128 bytes each, reserved bytes included). */
  readBlocks(seq: number, count: number): Uint8Array
  /** Writes an entry already checked against `info` (checkAppend), then the header front. */
  append(entry: Entry): void
  /** Appends consecutive verified entries with one block write and one header write. */
  appendMany(entries: readonly Entry[]): void
  /** Moves the front back to `seq` (whose mid is `mid`), cutting the blocks after it; returns the bytes cut. */
  truncate(seq: number, mid: Uint8Array): number
  /** Identifies this version of the file (inode, size, change time), to skip checks of an unchanged file. */
  stamp(): string
  close(): void
}

/** Offset of the block of `seq` in a log whose anchor is `anchorSeq`. */
function blockOffset(anchorSeq: number, seq: number): number {
  return LOG_BLOCK_BYTES * (seq - anchorSeq)
}

function writeAll(fd: number, buf: Uint8Array, position: number): void {
  let done = 0
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done)
}

function readAll(fd: number, buf: Uint8Array, position: number): number {
  let done = 0
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done
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
    const repaired = readOnly ? info : repair(fd, path, info, verifier, durable, repairs)
    return { file: logFile(fd, path, repaired, durable), repairs }
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

// Crash repair. An append writes the block at the end, then rewrites header bytes 104..127, so a
// process killed mid-append leaves (a) a partial block, or (b) a complete block the header does not
// count yet. (a) is cut; (b) is kept when it is the valid next entry (DMX and signature), so an
// append that returned is never lost even if the header write was cut short. (c) a front beyond the
// file cannot come from a killed process (the page cache is coherent), only from a power loss
// without `durable` or from outside damage: we walk the blocks from the anchor and move the front
// back to the last valid entry rather than refuse the log — those entries are gone either way,
// and a replica can fetch them again. It is reported (the store's `onRepair`), because a producer that
// rewinds its own feed would sign a different entry at a seq it may already have sent.
function repair(
  fd: number,
  path: string,
  info: LogInfo,
  verifier: Verifier,
  durable: boolean,
  repairs: LogRepair[],
): LogInfo {
  const size = fstatSync(fd).size
  const blocks = Math.floor((size - LOG_HEADER_BYTES) / LOG_BLOCK_BYTES)
  const partial = (size - LOG_HEADER_BYTES) % LOG_BLOCK_BYTES
  const held = info.frontSeq - info.anchorSeq
  if (partial === 0 && blocks === held) return info

  const report = (kind: LogRepair['kind'], frontAfter: number, bytesCut: number): void => {
    repairs.push({ path, fid: info.fid.slice(), kind, frontBefore: info.frontSeq, frontAfter, bytesCut })
  }
  if (partial !== 0) report('partial-block', info.frontSeq, partial)
  let front = { seq: info.frontSeq, mid: info.frontMid }
  if (blocks > held) {
    front = walk(fd, info, front, held, blocks, verifier)
    if (front.seq > info.frontSeq) report('roll-forward', front.seq, 0)
  } else if (blocks < held) {
    front = walk(fd, info, { seq: info.anchorSeq, mid: info.anchorMid }, 0, blocks, verifier)
  }
  const kept = front.seq - info.anchorSeq
  if (blocks < held) report('front-beyond-file', front.seq, LOG_BLOCK_BYTES * (blocks - kept))
  else if (kept < blocks) report('invalid-tail', front.seq, LOG_BLOCK_BYTES * (blocks - kept))
  const newSize = LOG_HEADER_BYTES + LOG_BLOCK_BYTES * kept
  if (front.seq !== info.frontSeq) writeAll(fd, encodeFront(front.seq, front.mid), HEADER_OFFSET.FRONT_SEQ)
  if (newSize !== size) ftruncateSync(fd, newSize)
  if (durable) fdatasyncSync(fd)
  return { ...info, frontSeq: front.seq, frontMid: front.mid }
}

/** Reads blocks `from`..`to`-1 (0-based after the header) and returns the last valid front. */
function walk(
  fd: number,
  info: LogInfo,
  start: { seq: number; mid: Uint8Array },
  from: number,
  to: number,
  verifier: Verifier,
): { seq: number; mid: Uint8Array } {
  const front = { ...start }
  const block = new Uint8Array(LOG_BLOCK_BYTES)
  for (let i = from; i < to && front.seq < MAX_SEQ; i++) {
    if (readAll(fd, block, LOG_HEADER_BYTES + LOG_BLOCK_BYTES * i) < LOG_BLOCK_BYTES) break
    const r = checkEntry({ fid: info.fid, seq: front.seq + 1, prev: front.mid }, block.subarray(BLOCK_RESERVED_BYTES), verifier)
    if (!r.ok) break
    front.seq += 1
    front.mid = r.entry.mid
  }
  return front
}

function logFile(fd: number, path: string, initial: LogInfo, durable: boolean): LogFile {
  let open = true
  // Reused: appends run one at a time.
  const block = new Uint8Array(LOG_BLOCK_BYTES)
  const front = new Uint8Array(LOG_HEADER_BYTES - HEADER_OFFSET.FRONT_SEQ)
  const frontView = new DataView(front.buffer)
  const corrupt = (seq: number, got: number): StoreError =>
    new StoreError('STORE_CORRUPT', `log ${path}: entry ${seq} is cut short (${got} of 128 bytes): an interrupted append (repaired when the log is next opened for writing) or one in progress`)
  const lf: LogFile = {
    path,
    info: initial,
    chainChecked: false,
    damage: undefined,
    readWire(seq) {
      return lf.readBlocks(seq, 1).slice(BLOCK_RESERVED_BYTES)
    },
    readBlocks(seq, count) {
      const buf = new Uint8Array(LOG_BLOCK_BYTES * count)
      const n = readAll(fd, buf, blockOffset(lf.info.anchorSeq, seq))
      if (n < buf.length) throw corrupt(seq + Math.floor(n / LOG_BLOCK_BYTES), n % LOG_BLOCK_BYTES)
      return buf
    },
    append(entry) {
      lf.appendMany([entry])
    },
    appendMany(entries) {
      if (entries.length === 0) return
      const { anchorSeq } = lf.info
      const first = entries[0]!
      const lastEntry = entries[entries.length - 1]!
      const offset = blockOffset(anchorSeq, first.seq)
      const blocks = entries.length === 1 ? block : new Uint8Array(LOG_BLOCK_BYTES * entries.length)
      entries.forEach((e, i) => blocks.set(e.wire, i * LOG_BLOCK_BYTES + BLOCK_RESERVED_BYTES))
      try {
        writeAll(fd, blocks, offset)
        if (durable) fdatasyncSync(fd)
      } catch (err) {
        try {
          ftruncateSync(fd, offset) // drop partial blocks so the file stays 128 + k·128
        } catch {
          // the next open repairs it
        }
        throw ioError(`cannot append entry ${first.seq} to log ${path}`, err)
      }
      try {
        frontView.setUint32(0, lastEntry.seq) // front seq (BE32) ‖ front mid
        front.set(lastEntry.mid, 4)
        writeAll(fd, front, HEADER_OFFSET.FRONT_SEQ)
        if (durable) fdatasyncSync(fd)
      } catch (err) {
        // The blocks are written but the header may not count them: the next open rolls them
        // forward, and until then a retry of these seqs simply rewrites the same blocks.
        throw ioError(`cannot update the header of log ${path}`, err)
      }
      lf.info = { ...lf.info, frontSeq: lastEntry.seq, frontMid: lastEntry.mid.slice() }
    },
    truncate(seq, mid) {
      const size = LOG_HEADER_BYTES + LOG_BLOCK_BYTES * (seq - lf.info.anchorSeq)
      try {
        const cut = Math.max(0, fstatSync(fd).size - size)
        writeAll(fd, encodeFront(seq, mid), HEADER_OFFSET.FRONT_SEQ)
        ftruncateSync(fd, size)
        if (durable) fdatasyncSync(fd)
        lf.info = { ...lf.info, frontSeq: seq, frontMid: mid.slice() }
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
      if (open) closeSync(fd)
      open = false
    },
  }
  return lf
}

/**
 * Decodes block `i` of a chunk read by readBlocks as entry `seq` after `prev` (DMX checked, no
 * signature: entries were verified on append).
 * @throws StoreError STORE_CORRUPT when the entry does not chain.
 */
export function decodeBlock(path: string, fid: Uint8Array, seq: number, prev: Uint8Array, chunk: Uint8Array, i: number): Entry {
  const wire = chunk.subarray(LOG_BLOCK_BYTES * i + BLOCK_RESERVED_BYTES, LOG_BLOCK_BYTES * (i + 1))
  try {
    return decodeEntry({ fid, seq, prev }, wire)
  } catch (err) {
    if (err instanceof PacketError) {
      throw new StoreError('STORE_CORRUPT', `log ${path}: entry ${seq} does not chain (${err.code})`, { cause: err })
    }
    throw err
  }
}
