// `entriesOfType` of the file store. Each log file is opened read-only beside the store for the scan
// (its open-log cache is not churned). A log whose line in the type index matches its header (48
// bytes read, see type-index.ts) is answered from the index: only the blocks of the wanted type
// are read. Otherwise the type bytes of its blocks are read in chunks into one buffer (no mids, so
// no hashing; nothing kept but the seqs of typed entries) and its index line is written: after a
// log grew, only the new blocks, once the first of them is seen to chain onto the indexed front.
import { sep } from 'node:path'
import { DMX_BYTES, ENTRY_TYPE, type TypedEntry } from '@tinyssb/packet'
import { ioError, StoreError } from './errors.js'
import { BLOCK_RESERVED_BYTES, LOG_BLOCK_BYTES } from './log-header.js'
import { decodeBlock } from './log-file.js'
import { firstSeq, notFound } from './log-rules.js'
import { matches, RawLog, type LogTypes, type TypeIndex } from './type-index.js'

/** Blocks read per step: bounded memory, few system calls. */
const CHUNK_BLOCKS = 64
/** Offset of the type byte in a block. */
const TYPE_AT = BLOCK_RESERVED_BYTES + DMX_BYTES
/**
 * The blocks read, shared by every scan: filled and copied from synchronously, between two reads no
 * other scan runs (wires are copied out before each yield).
 */
const BUF = new Uint8Array(LOG_BLOCK_BYTES * CHUNK_BLOCKS)

/** What the file store lends the scan. */
export interface TypeScanStore {
  readonly index: TypeIndex
  /** Throws for a closed store or a malformed fid. */
  guard(fid: Uint8Array): void
  /** The directory of the log files. */
  readonly logsDir: string
  /** Opens the log in the store, which repairs an interrupted append; false when there is none. */
  repair(fid: Uint8Array): boolean
}

/** The entries of `type` from `from` (see LogStore.entriesOfType). */
export async function* entriesOfType(store: TypeScanStore, fid: Uint8Array, type: number, from: number | undefined): AsyncGenerator<TypedEntry> {
  store.guard(fid)
  const hex = Buffer.from(fid.buffer, fid.byteOffset, fid.byteLength).toString('hex')
  const path = `${store.logsDir}${sep}${hex}.log` // not path.join: this runs once per log per scan
  let log = RawLog.open(path)
  if (!log?.sized) {
    log?.close()
    if (!store.repair(fid)) throw notFound(fid)
    log = RawLog.open(path) // a read-only store does not repair: its header is taken as it is
    if (!log) throw new StoreError('STORE_IO', `cannot read log ${path}`)
  }
  try {
    const start = firstSeq(log, from)
    // the index lists the typed entries only: plain48 entries are found by reading
    const known = type === ENTRY_TYPE.PLAIN48 ? undefined : store.index.get(fid, hex)
    if (known && matches(known, log)) {
      if (known.types.includes(type)) yield* fromIndex(log, path, known, type, start)
      return
    }
    const buf = BUF
    const base = known && continues(log, path, fid, known, buf) ? known : undefined
    if (base) yield* fromIndex(log, path, base, type, start)
    const seqs = base ? [...base.seqs] : []
    const types = base ? [...base.types] : []
    let seq = base ? base.frontSeq + 1 : log.anchorSeq + 1
    while (seq <= log.frontSeq) {
      const count = Math.min(CHUNK_BLOCKS, log.frontSeq - seq + 1)
      read(log, path, seq, count, buf)
      const out: TypedEntry[] = []
      for (let i = 0; i < count; i++, seq++) {
        const typ = buf[LOG_BLOCK_BYTES * i + TYPE_AT]!
        if (typ !== ENTRY_TYPE.PLAIN48) {
          seqs.push(seq)
          types.push(typ)
        }
        if (typ === type && seq >= start) out.push({ seq, wire: buf.slice(LOG_BLOCK_BYTES * i + BLOCK_RESERVED_BYTES, LOG_BLOCK_BYTES * (i + 1)) })
      }
      yield* out
    }
    store.index.set(fid, hex, { anchorSeq: log.anchorSeq, frontSeq: log.frontSeq, frontMid: log.frontMid.slice(), seqs, types })
  } finally {
    log.close()
  }
}

/** The indexed entries of `type` from `start`. */
async function* fromIndex(log: RawLog, path: string, t: LogTypes, type: number, start: number): AsyncGenerator<TypedEntry> {
  for (let i = 0; i < t.seqs.length; i++) {
    const seq = t.seqs[i]!
    if (t.types[i] !== type || seq < start) continue
    read(log, path, seq, 1, BUF)
    yield { seq, wire: BUF.slice(BLOCK_RESERVED_BYTES, LOG_BLOCK_BYTES) }
  }
}

/** Whether the log grew from the indexed front: its next block chains onto the indexed front mid. */
function continues(log: RawLog, path: string, fid: Uint8Array, t: LogTypes, buf: Uint8Array): boolean {
  if (t.anchorSeq !== log.anchorSeq || t.frontSeq >= log.frontSeq) return false
  try {
    read(log, path, t.frontSeq + 1, 1, buf)
    decodeBlock(path, fid, t.frontSeq + 1, t.frontMid, buf, 0)
    return true
  } catch {
    return false // cut back and appended again since, or damaged: read from the anchor
  }
}

/** Reads `count` blocks from `seq` into `buf`. @throws StoreError STORE_CORRUPT (cut short), STORE_IO. */
function read(log: RawLog, path: string, seq: number, count: number, buf: Uint8Array): void {
  let got: number
  try {
    got = log.readBlocks(seq, count, buf)
  } catch (err) {
    throw ioError(`cannot read log ${path}`, err)
  }
  if (got < count) throw new StoreError('STORE_CORRUPT', `log ${path}: entry ${seq + got} is missing or cut short (the log changed while being read, or was damaged)`)
}
