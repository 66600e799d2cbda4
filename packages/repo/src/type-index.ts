// The entry-type index of the file store: per log, the seqs and types of its entries that are not
// plain48, valid up to a front (seq and mid) — the front mid commits to every entry before it, so a
// record whose front still matches the log header is exact without reading a block. It lets
// `entriesOfType` (replication's start-up scan for chain20 entries) skip a log after reading its
// header instead of the whole log. Kept in <node dir>/_logs.types, beside _logs/: the Python
// original only opens _logs/<fid>.log, _blob/…, config.json and state.json, and lists _logs/ alone,
// so the data directory it reads is unchanged. Derived data only: a missing, stale or damaged index
// costs a read of the logs, never a wrong answer; written on close() when it changed (never by a
// read-only store), records of logs that are gone dropped.
//
// Binary, because it is read at every start, and sorted by fid, so that loading it is one read and
// finding a log a binary search (10 000 logs: 0.7 MB; a text form took ~150 ms to parse, a map of
// its keys ~50 ms): "TSSBTYP1" ‖ N (u32be) ‖ N records, by fid ascending, of fid (32) ‖ anchor seq ‖
// front seq ‖ front mid (20) ‖ n ‖ offset (u32be each but the mid) ‖ the (seq (u32be) ‖ type (u8))
// pairs, n of them per record from its offset in this last part, seqs ascending. A file that does
// not add up is ignored; a record that does not, skipped.
import { closeSync, openSync, readFileSync, readdirSync, readSync } from 'node:fs'
import { equalBytes, MID_BYTES, readU32be } from '@tinyssb/packet'
import { readAll, writeAtomic } from './fs-dir.js'
import { HEADER_OFFSET, LOG_BLOCK_BYTES, LOG_HEADER_BYTES } from './log-header.js'

/** The index file, in the node directory (beside `_logs`). */
export const TYPE_INDEX_FILE = '_logs.types'
const MAGIC = new TextEncoder().encode('TSSBTYP1')
const TABLE = MAGIC.length + 4
/** Bytes of a record of the table: fid, anchor seq, front seq, front mid, n, offset. */
const RECORD = 32 + 4 + 4 + MID_BYTES + 4 + 4
const AT = { ANCHOR: 32, FRONT: 36, MID: 40, N: 40 + MID_BYTES, OFFSET: 44 + MID_BYTES } as const
const PAIR = 5

/** What the index knows of one log. */
export interface LogTypes {
  readonly anchorSeq: number
  readonly frontSeq: number
  readonly frontMid: Uint8Array
  /** Seqs of the entries in anchorSeq+1..frontSeq that are not plain48, ascending. */
  readonly seqs: readonly number[]
  /** The type byte of each of `seqs`. */
  readonly types: readonly number[]
}

/** The front part of a log header. */
export interface LogFront {
  readonly anchorSeq: number
  readonly frontSeq: number
  readonly frontMid: Uint8Array
}

/** The index of one store: loaded on first use, saved by {@link TypeIndex.save}. */
export class TypeIndex {
  readonly #path: string
  /** The file as loaded (empty when there is none, or it does not add up), and its record count. */
  #file: Buffer | undefined
  #count = 0
  /** Records made since (they replace those of the file), by hex fid. */
  readonly #fresh = new Map<string, { fid: Uint8Array; types: LogTypes }>()

  constructor(path: string) {
    this.#path = path
  }

  /** What is known of the log `fid` (hex `hex`), not checked against the log. */
  get(fid: Uint8Array, hex: string): LogTypes | undefined {
    const fresh = this.#fresh.get(hex)
    if (fresh) return fresh.types
    const file = this.#load()
    let lo = 0
    let hi = this.#count - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const at = TABLE + RECORD * mid
      const c = compareFid(file, at, fid)
      if (c === 0) return decode(file, at, TABLE + RECORD * this.#count)
      if (c < 0) lo = mid + 1
      else hi = mid - 1
    }
    return undefined
  }

  set(fid: Uint8Array, hex: string, types: LogTypes): void {
    this.#fresh.set(hex, { fid: fid.slice(), types })
  }

  /**
   * Writes the index if it changed, keeping the records of logs still in `logsDir`. Best effort: an
   * index that cannot be written is read again from the logs next time.
   */
  save(logsDir: string, durable: boolean): void {
    if (this.#fresh.size === 0) return
    try {
      const held = new Set(readdirSync(logsDir))
      const all: Array<{ fid: Uint8Array; types: LogTypes }> = []
      const file = this.#load()
      const pairs = TABLE + RECORD * this.#count
      for (let i = 0; i < this.#count; i++) {
        const at = TABLE + RECORD * i
        const hex = file.toString('hex', at, at + 32)
        const types = this.#fresh.has(hex) || !held.has(`${hex}.log`) ? undefined : decode(file, at, pairs)
        if (types) all.push({ fid: file.subarray(at, at + 32), types })
      }
      for (const [hex, f] of this.#fresh) if (held.has(`${hex}.log`)) all.push(f)
      all.sort((a, b) => Buffer.compare(a.fid, b.fid))
      writeAtomic(this.#path, encode(all), { durable })
      this.#fresh.clear()
      this.#file = undefined // read again if asked: the file changed
    } catch {
      // derived data: the next scan reads the logs instead
    }
  }

  #load(): Buffer {
    if (this.#file) return this.#file
    this.#file = Buffer.alloc(0)
    this.#count = 0
    let file: Buffer
    try {
      file = readFileSync(this.#path)
    } catch {
      return this.#file // none yet, or unreadable: start empty
    }
    if (file.length < TABLE || !equalBytes(file.subarray(0, MAGIC.length), MAGIC)) return this.#file
    const count = file.readUInt32BE(MAGIC.length)
    if (TABLE + RECORD * count > file.length) return this.#file
    this.#file = file
    this.#count = count
    return file
  }
}

/** Compares the fid of the record at `at` with `fid` (like Buffer.compare). */
function compareFid(file: Buffer, at: number, fid: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = file[at + i]! - fid[i]!
    if (d !== 0) return d
  }
  return 0
}

function encode(all: ReadonlyArray<{ fid: Uint8Array; types: LogTypes }>): Buffer {
  const pairs = all.reduce((n, r) => n + r.types.seqs.length, 0)
  const b = Buffer.alloc(TABLE + RECORD * all.length + PAIR * pairs)
  b.set(MAGIC, 0)
  b.writeUInt32BE(all.length, MAGIC.length)
  let p = TABLE + RECORD * all.length
  all.forEach(({ fid, types: t }, i) => {
    const at = TABLE + RECORD * i
    b.set(fid, at)
    b.writeUInt32BE(t.anchorSeq, at + AT.ANCHOR)
    b.writeUInt32BE(t.frontSeq, at + AT.FRONT)
    b.set(t.frontMid, at + AT.MID)
    b.writeUInt32BE(t.seqs.length, at + AT.N)
    b.writeUInt32BE(p - TABLE - RECORD * all.length, at + AT.OFFSET)
    t.seqs.forEach((seq, k) => {
      b.writeUInt32BE(seq, p)
      b[p + 4] = t.types[k]!
      p += PAIR
    })
  })
  return b
}

/** The record at `at` (its pairs from `pairs` on), or undefined for one that does not add up (ignored). */
function decode(file: Buffer, at: number, pairs: number): LogTypes | undefined {
  const anchorSeq = file.readUInt32BE(at + AT.ANCHOR)
  const frontSeq = file.readUInt32BE(at + AT.FRONT)
  const n = file.readUInt32BE(at + AT.N)
  const from = pairs + file.readUInt32BE(at + AT.OFFSET)
  if (frontSeq < anchorSeq || from + PAIR * n > file.length) return undefined
  const seqs: number[] = []
  const types: number[] = []
  for (let i = 0, p = from; i < n; i++, p += PAIR) {
    const seq = file.readUInt32BE(p)
    if (seq <= (seqs.at(-1) ?? anchorSeq) || seq > frontSeq) return undefined
    seqs.push(seq)
    types.push(file[p + 4]!)
  }
  return { anchorSeq, frontSeq, frontMid: file.subarray(at + AT.MID, at + AT.MID + MID_BYTES), seqs, types }
}

/** The header bytes RawLog reads (anchor seq to the end). */
const HEAD_BYTES = LOG_HEADER_BYTES - HEADER_OFFSET.ANCHOR_SEQ
/** Offsets in those bytes. */
const HEAD_AT = {
  ANCHOR_SEQ: 0,
  FRONT_SEQ: HEADER_OFFSET.FRONT_SEQ - HEADER_OFFSET.ANCHOR_SEQ,
  FRONT_MID: HEADER_OFFSET.FRONT_MID - HEADER_OFFSET.ANCHOR_SEQ,
} as const
/** One byte read past the counted blocks, reused. */
const PROBE = new Uint8Array(1)

/**
 * A log file opened read-only beside the store, for one scan: the header's anchor and front, and
 * block reads into a buffer of the caller (no allocation per read). Never repairs anything.
 */
export class RawLog implements LogFront {
  readonly #fd: number
  readonly anchorSeq: number
  readonly frontSeq: number
  readonly frontMid: Uint8Array
  /** Whether the file size matches the header (else an interrupted append waits for repair). */
  readonly sized: boolean

  private constructor(fd: number, head: Uint8Array) {
    this.#fd = fd
    this.anchorSeq = readU32be(head, HEAD_AT.ANCHOR_SEQ)
    this.frontSeq = readU32be(head, HEAD_AT.FRONT_SEQ)
    this.frontMid = head.subarray(HEAD_AT.FRONT_MID, HEAD_AT.FRONT_MID + MID_BYTES)
    // a byte after the last block the header counts: a torn or not yet counted block (a probe read
    // instead of fstat, whose Stats objects cost more than the read)
    this.sized = this.frontSeq >= this.anchorSeq && readSync(fd, PROBE, 0, 1, LOG_HEADER_BYTES + LOG_BLOCK_BYTES * (this.frontSeq - this.anchorSeq)) === 0
  }

  /** Opens the log file at `path`; undefined when it is missing, unreadable or shorter than a header. */
  static open(path: string): RawLog | undefined {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return undefined // the store's own open says why
    }
    try {
      const head = new Uint8Array(HEAD_BYTES) // its front mid stays with the RawLog
      if (readAll(fd, head, HEADER_OFFSET.ANCHOR_SEQ) < HEAD_BYTES) throw new Error('short header')
      return new RawLog(fd, head)
    } catch {
      closeSync(fd)
      return undefined
    }
  }

  /**
   * Reads `count` blocks from `seq` into `buf`.
   * @returns the blocks read completely (fewer when the file is shorter).
   */
  readBlocks(seq: number, count: number, buf: Uint8Array): number {
    const n = readAll(this.#fd, buf.subarray(0, LOG_BLOCK_BYTES * count), LOG_BLOCK_BYTES * (seq - this.anchorSeq))
    return Math.floor(n / LOG_BLOCK_BYTES)
  }

  close(): void {
    closeSync(this.#fd)
  }
}

/** Whether `t` describes exactly the log whose header says `f`. */
export function matches(t: LogTypes, f: LogFront): boolean {
  return t.anchorSeq === f.anchorSeq && t.frontSeq === f.frontSeq && equalBytes(t.frontMid, f.frontMid)
}
