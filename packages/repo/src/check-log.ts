// fsck for one log: every entry's DMX chain and signature from the anchor to the front.
import { checkEntry, equalBytes, TinySSBError, type LogStore, type Verifier } from '@tinyssb/packet'

/**
 * The result of {@link checkLog}: either every entry checks out, or the first seq that does not
 * and why (`code` is a StoreError or PacketError code).
 */
export type LogCheck =
  | { readonly ok: true; readonly entries: number; readonly frontSeq: number }
  | { readonly ok: false; readonly seq: number; readonly code: string; readonly message: string }

/**
 * Checks a whole log: each entry from anchorSeq+1 to the front must be present, start with the DMX
 * of its position (prev = the previous mid, the anchor mid for the first) and carry a valid
 * signature, and the header's front mid must be the mid of the last entry. Never throws for bad
 * data: problems come back as `{ ok: false }` (STORE_NOT_FOUND for an absent log, STORE_CORRUPT,
 * STORE_IO, PACKET_LENGTH, PACKET_DMX, PACKET_SIGNATURE).
 * @param store - only `info` and `get` are used.
 * @param fid - the feed to check.
 * @param verifier - the signature scheme of the feed.
 * @returns a {@link LogCheck}.
 * @example
 * ```ts
 * const r = await checkLog(store, fid, ed25519)
 * if (!r.ok) console.error(`seq ${r.seq}: ${r.code} ${r.message}`)
 * ```
 */
export async function checkLog(store: Pick<LogStore, 'info' | 'get'>, fid: Uint8Array, verifier: Verifier): Promise<LogCheck> {
  let seq = 0
  try {
    const info = await store.info(fid)
    if (!info) return { ok: false, seq: 0, code: 'STORE_NOT_FOUND', message: 'no such log' }
    let prev = info.anchorMid
    for (seq = info.anchorSeq + 1; seq <= info.frontSeq; seq++) {
      const wire = await store.get(fid, seq)
      if (!wire) return missingEntry(seq, info.frontSeq)
      const r = checkEntry({ fid, seq, prev }, wire, verifier)
      if (!r.ok) return entryProblem(r.code, seq)
      prev = r.entry.mid
    }
    if (!equalBytes(prev, info.frontMid)) return frontMidMismatch(info.frontSeq)
    return { ok: true, entries: info.frontSeq - info.anchorSeq, frontSeq: info.frontSeq }
  } catch (err) {
    if (err instanceof TinySSBError) return { ok: false, seq, code: err.code, message: err.message }
    throw err
  }
}

// The failures of a log check, shared with verifyLogs (verify-logs.ts).
type Failure = Extract<LogCheck, { ok: false }>

/** Entry `seq` failed a packet check (length, DMX chain or signature). */
export function entryProblem(code: 'PACKET_LENGTH' | 'PACKET_DMX' | 'PACKET_SIGNATURE', seq: number): Failure {
  const message =
    code === 'PACKET_LENGTH'
      ? `entry ${seq} is not 120 bytes`
      : code === 'PACKET_DMX'
        ? `entry ${seq} does not chain: its DMX does not match (fid, seq, previous mid)`
        : `entry ${seq} has a bad signature`
  return { ok: false, seq, code, message }
}

/** Entry `seq` is not in the log although the front is beyond it. */
export function missingEntry(seq: number, frontSeq: number): Failure {
  return { ok: false, seq, code: 'STORE_CORRUPT', message: `entry ${seq} is missing (front is ${frontSeq})` }
}

/** The header's front mid is not the mid of the last entry. */
export function frontMidMismatch(frontSeq: number): Failure {
  return { ok: false, seq: frontSeq, code: 'STORE_CORRUPT', message: "the header's front mid is not the mid of the last entry" }
}
