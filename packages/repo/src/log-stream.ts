// Reading a log file in order: `entries()` of the file store, and the block decoder it uses.
import { decodeEntry, PacketError, type Entry, type StoredEntry } from '@tinyssb/packet'
import { ioError, StoreError } from './errors.js'
import type { LogFile } from './log-file.js'
import { BLOCK_RESERVED_BYTES, LOG_BLOCK_BYTES } from './log-header.js'
import { firstSeq, notFound } from './log-rules.js'

/** Blocks read per step by `entries()`: bounded memory, few system calls. */
const ENTRIES_CHUNK_BLOCKS = 64

// Streams from the anchor (mids need every predecessor) in chunks; the front is the one at the
// start. Each chunk looks the log up again, because it may have been closed to bound open files.
export async function* streamEntries(lookup: (fid: Uint8Array) => LogFile | undefined, fid: Uint8Array, from: number | undefined): AsyncGenerator<StoredEntry> {
  const first = lookup(fid)
  if (!first) throw notFound(fid)
  const { anchorSeq, anchorMid, frontSeq } = first.info
  const start = firstSeq(first.info, from)
  let prev = anchorMid
  let seq = anchorSeq + 1
  while (seq <= frontSeq) {
    const lf = lookup(fid)
    if (!lf || lf.info.anchorSeq !== anchorSeq) throw new StoreError('STORE_CORRUPT', `log ${first.path} changed while being read`)
    const count = Math.min(ENTRIES_CHUNK_BLOCKS, frontSeq - seq + 1)
    let chunk: Uint8Array
    try {
      chunk = lf.readBlocks(seq, count)
    } catch (err) {
      if (err instanceof StoreError) throw err
      throw ioError(`cannot read log ${lf.path}`, err)
    }
    const out: StoredEntry[] = []
    for (let i = 0; i < count; i++, seq++) {
      const e = decodeBlock(lf.path, fid, seq, prev, chunk, i)
      if (seq >= start) out.push({ seq, prev: prev.slice(), wire: e.wire, mid: e.mid })
      prev = e.mid
    }
    yield* out
  }
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
