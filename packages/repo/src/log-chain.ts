// Damage in the middle of a log file. Crash repair (log-file.ts) looks only at the tail; before the
// first append to an open log, the file store follows the whole chain once — DMX and mid of every
// entry from the anchor to the front, two sha256 per entry, no signatures — and refuses appends on
// top of a chain that breaks (STORE_DAMAGED) until repair() cuts the log back to its valid prefix.
import { checkEntry, equalBytes, MAX_SEQ, type Verifier } from '@tinyssb/packet'
import { StoreError } from './errors.js'
import { BLOCK_RESERVED_BYTES, LOG_BLOCK_BYTES } from './log-header.js'
import type { LogFile, LogRepair } from './log-file.js'

/** Where a log is known to be damaged: the first entry that does not check out, and why. */
export interface LogDamage {
  /** The first bad seq (the front seq when only the header's front mid is wrong). */
  readonly seq: number
  /** PACKET_LENGTH, PACKET_DMX, PACKET_SIGNATURE (found by verify) or STORE_CORRUPT. */
  readonly code: string
  /** What is wrong, for messages. */
  readonly message: string
}

/** Blocks read per step: 64 KiB. */
const CHUNK_BLOCKS = 512
/** Trusts every signature: the chain check looks at DMX and mids only. */
const TRUST: Verifier = { verify: () => true }

/**
 * Follows the chain of `lf` from the anchor to the front: each entry's DMX must match its position
 * (prev = the previous entry's mid) and the header's front mid must be the last entry's mid. Any
 * changed byte of an entry changes its mid, so this finds every damaged entry but a forged last one.
 * @returns the damage found, or undefined for an intact chain.
 * @throws StoreError STORE_IO.
 */
export function followChain(lf: LogFile): LogDamage | undefined {
  return walkChain(lf, TRUST).damage
}

/**
 * Cuts `lf` back to its longest valid prefix (DMX and signatures checked from the anchor on) and
 * moves the header's front there. Entries after the first bad one are gone: a replica fetches
 * them again; on one's own feed, new entries at those seqs fork the feed for peers that had them.
 * @returns what was done, or undefined when the log was intact.
 * @throws StoreError STORE_IO.
 */
export function cutToValidPrefix(lf: LogFile, verifier: Verifier): LogRepair | undefined {
  const before = lf.info
  const { front, damage } = walkChain(lf, verifier)
  if (!damage) return undefined
  const bytesCut = lf.truncate(front.seq, front.mid)
  return { path: lf.path, fid: before.fid.slice(), kind: 'damaged-middle', frontBefore: before.frontSeq, frontAfter: front.seq, bytesCut }
}

/** StoreError STORE_DAMAGED for an append on top of `damage`. */
export function damagedError(lf: LogFile, damage: LogDamage): StoreError {
  const cut = damage.seq - 1 > lf.info.anchorSeq ? `at most entry ${damage.seq - 1}` : 'no entries'
  return new StoreError(
    'STORE_DAMAGED',
    `log ${lf.path} is damaged at entry ${damage.seq} (${damage.code}: ${damage.message}); appends are refused until it is repaired (repair() cuts it back to its valid prefix, ${cut}) or the file is restored`,
  )
}

function walkChain(lf: LogFile, verifier: Verifier): { front: { seq: number; mid: Uint8Array }; damage?: LogDamage } {
  const { fid, anchorSeq, anchorMid, frontSeq, frontMid } = lf.info
  const front = { seq: anchorSeq, mid: anchorMid }
  while (front.seq < frontSeq && front.seq < MAX_SEQ) {
    const count = Math.min(CHUNK_BLOCKS, frontSeq - front.seq)
    let chunk: Uint8Array
    try {
      chunk = lf.readBlocks(front.seq + 1, count)
    } catch (err) {
      if (err instanceof StoreError && err.code === 'STORE_CORRUPT') return { front, damage: { seq: front.seq + 1, code: err.code, message: err.message } }
      throw err
    }
    for (let i = 0; i < count; i++) {
      const wire = chunk.subarray(LOG_BLOCK_BYTES * i + BLOCK_RESERVED_BYTES, LOG_BLOCK_BYTES * (i + 1))
      const seq = front.seq + 1
      const r = checkEntry({ fid, seq, prev: front.mid }, wire, verifier)
      if (!r.ok) return { front, damage: { seq, code: r.code, message: r.code === 'PACKET_SIGNATURE' ? 'bad signature' : 'does not chain' } }
      front.seq = seq
      front.mid = r.entry.mid
    }
  }
  if (!equalBytes(front.mid, frontMid)) {
    return { front, damage: { seq: frontSeq, code: 'STORE_CORRUPT', message: "the header's front mid is not the mid of the last entry" } }
  }
  return { front }
}
