// Crash repair of a log file opened for writing: what an interrupted append (or a power loss, or
// outside damage) can leave after the header's front. Used by openLogFile (log-file.ts).
import { fdatasyncSync, fstatSync, ftruncateSync } from 'node:fs'
import { checkEntry, MAX_SEQ, type LogInfo, type Verifier } from '@tinyssb/packet'
import { BLOCK_RESERVED_BYTES, encodeFront, HEADER_OFFSET, LOG_BLOCK_BYTES, LOG_HEADER_BYTES } from './log-header.js'
import { readAll, writeAll } from './fs-dir.js'

/** What opening a log file (openLogFile in log-file.ts) did to a log file left behind by a crash (or damaged otherwise). */
export interface LogRepair {
  /** The log file. */
  readonly path: string
  /** The feed ID. */
  readonly fid: Uint8Array
  /**
   * - `partial-block`: the file ended in a torn block (size not 128 + k·128); the partial tail was cut.
   * - `roll-forward`: complete, valid blocks after the header's front (killed between writing the
   *   block and rewriting the header, or a power loss before a durable log's last header update
   *   was synced); the header now includes them.
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

// Crash repair. An append writes the block at the end, then rewrites header bytes 104..127, so a
// process killed mid-append leaves (a) a partial block, or (b) a complete block the header does not
// count yet. (a) is cut; (b) is kept when it is the valid next entry (DMX and signature), so an
// append that returned is never lost even if the header write was cut short. A durable log syncs
// the blocks before it writes the header that counts them and leaves that header write to the next
// sync: after a power loss its header may lag (b), never lead. (c) a front beyond the
// file cannot come from a killed process (the page cache is coherent), only from a power loss
// without `durable` or from outside damage: we walk the blocks from the anchor and move the front
// back to the last valid entry rather than refuse the log — those entries are gone either way,
// and a replica can fetch them again. It is reported (the store's `onRepair`), because a producer that
// rewinds its own feed would sign a different entry at a seq it may already have sent.
export function repairTail(
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
