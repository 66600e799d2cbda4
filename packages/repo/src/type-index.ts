// The entry-type index of the file store: per log, the seqs and types of its entries that are not
// plain48, valid up to a front (seq and mid) — the front mid commits to every entry before it, so an
// index line whose front still matches the log header is exact without reading a block. It lets
// `entriesOfType` (replication's start-up scan for chain20 entries) skip a log after reading 48
// header bytes instead of the whole log. Kept in <node dir>/_logs.types, a text file beside _logs/:
// the Python original only opens _logs/<fid>.log, _blob/…, config.json and state.json, and lists
// _logs/ alone, so the data directory it reads is unchanged. Derived data only: a missing, stale or
// damaged index costs a read of the logs, never a wrong answer; written on close() when it changed
// (never by a read-only store), lines of logs that are gone dropped.
import { closeSync, openSync, readFileSync, readdirSync, readSync } from 'node:fs'
import { equalBytes, fromHex, MID_BYTES, readU32be, toHex } from '@tinyssb/packet'
import { writeAtomic } from './fs-dir.js'
import { HEADER_OFFSET, LOG_BLOCK_BYTES, LOG_HEADER_BYTES } from './log-header.js'

/** The index file, in the node directory (beside `_logs`). */
export const TYPE_INDEX_FILE = '_logs.types'
const MAGIC = 'tinyssb-ts entry types v1'
const LINE = /^([0-9a-f]{64}) (\d{1,10}) (\d{1,10}) ([0-9a-f]{40}) (-|\d{1,10}:\d{1,3}(?:,\d{1,10}:\d{1,3})*)$/

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
  #known: Map<string, LogTypes> | undefined
  #dirty = false

  constructor(path: string) {
    this.#path = path
  }

  /** What is known of the log with hex fid `hex` (not checked against the log). */
  get(hex: string): LogTypes | undefined {
    return this.#load().get(hex)
  }

  set(hex: string, types: LogTypes): void {
    this.#load().set(hex, types)
    this.#dirty = true
  }

  /**
   * Writes the index if it changed, keeping the lines of logs still in `logsDir`. Best effort: an
   * index that cannot be written is read again from the logs next time.
   */
  save(logsDir: string, durable: boolean): void {
    if (!this.#dirty || !this.#known) return
    this.#dirty = false
    try {
      const held = new Set(readdirSync(logsDir))
      const lines = [MAGIC]
      for (const [hex, t] of this.#known) if (held.has(`${hex}.log`)) lines.push(formatLine(hex, t))
      writeAtomic(this.#path, new TextEncoder().encode(lines.join('\n') + '\n'), { durable })
    } catch {
      // derived data: the next scan reads the logs instead
    }
  }

  #load(): Map<string, LogTypes> {
    if (this.#known) return this.#known
    this.#known = new Map()
    let text: string
    try {
      text = readFileSync(this.#path, 'latin1')
    } catch {
      return this.#known // none yet, or unreadable: start empty
    }
    const lines = text.split('\n')
    if (lines[0] !== MAGIC) return this.#known
    for (let i = 1; i < lines.length; i++) {
      const t = parseLine(lines[i]!)
      if (t) this.#known.set(t.hex, t.types)
    }
    return this.#known
  }
}

function formatLine(hex: string, t: LogTypes): string {
  const list = t.seqs.length === 0 ? '-' : t.seqs.map((s, i) => `${s}:${t.types[i]}`).join(',')
  return `${hex} ${t.anchorSeq} ${t.frontSeq} ${toHex(t.frontMid)} ${list}`
}

/** A line of the index, or undefined for one that does not parse (it is skipped). */
function parseLine(line: string): { hex: string; types: LogTypes } | undefined {
  const m = LINE.exec(line)
  if (!m) return undefined
  const anchorSeq = Number(m[2])
  const frontSeq = Number(m[3])
  const seqs: number[] = []
  const types: number[] = []
  if (m[5] !== '-') {
    for (const pair of m[5]!.split(',')) {
      const [s, t] = pair.split(':')
      seqs.push(Number(s))
      types.push(Number(t))
    }
  }
  const ordered = seqs.every((s, i) => s > anchorSeq && s <= frontSeq && (i === 0 || s > seqs[i - 1]!))
  if (frontSeq < anchorSeq || !ordered || types.some((t) => t > 255)) return undefined
  return { hex: m[1]!, types: { anchorSeq, frontSeq, frontMid: fromHex(m[4]!), seqs, types } }
}

/** The header bytes RawLog reads (anchor seq to the end), reused: read and decoded synchronously. */
const HEAD = new Uint8Array(LOG_HEADER_BYTES - HEADER_OFFSET.ANCHOR_SEQ)

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
    const at = (offset: number): number => offset - HEADER_OFFSET.ANCHOR_SEQ
    this.anchorSeq = readU32be(head, at(HEADER_OFFSET.ANCHOR_SEQ))
    this.frontSeq = readU32be(head, at(HEADER_OFFSET.FRONT_SEQ))
    this.frontMid = head.slice(at(HEADER_OFFSET.FRONT_MID), at(HEADER_OFFSET.FRONT_MID) + MID_BYTES)
    // a byte after the last block the header counts: a torn or not yet counted block (a probe read
    // instead of fstat, whose Stats objects cost more than the read)
    this.sized = this.frontSeq >= this.anchorSeq && readAt(fd, head.subarray(0, 1), LOG_HEADER_BYTES + LOG_BLOCK_BYTES * (this.frontSeq - this.anchorSeq)) === 0
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
      if (readAt(fd, HEAD, HEADER_OFFSET.ANCHOR_SEQ) < HEAD.length) throw new Error('short header')
      return new RawLog(fd, HEAD)
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
    const n = readAt(this.#fd, buf.subarray(0, LOG_BLOCK_BYTES * count), LOG_BLOCK_BYTES * (seq - this.anchorSeq))
    return Math.floor(n / LOG_BLOCK_BYTES)
  }

  close(): void {
    closeSync(this.#fd)
  }
}

function readAt(fd: number, buf: Uint8Array, position: number): number {
  let got = 0
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, position + got)
    if (n === 0) break
    got += n
  }
  return got
}

/** Whether `t` describes exactly the log whose header says `f`. */
export function matches(t: LogTypes, f: LogFront): boolean {
  return t.anchorSeq === f.anchorSeq && t.frontSeq === f.frontSeq && equalBytes(t.frontMid, f.frontMid)
}
