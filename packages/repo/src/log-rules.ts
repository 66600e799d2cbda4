// The rules every LogStore applies, shared by the memory and file-system stores so both behave alike.
import {
  MID_BYTES,
  PacketError,
  PACKET_BYTES,
  decodeEntry,
  entrySignatureItem,
  entrySignatureItems,
  toHex,
  verifyEntry,
  type CreateLogOptions,
  type Entry,
  type VerifyItem,
  type LogInfo,
  type Verifier,
} from '@tinyssb/packet'
import { checkFid, checkMid, checkSeqArg, isSeq } from './checks.js'
import { StoreError } from './errors.js'

/**
 * The header of a new, empty log: front = anchor. Defaults follow the reference's genesis log:
 * anchor seq 0 and anchor mid = fid[0:20].
 * @throws PacketError PACKET_LENGTH / PACKET_SEQ for malformed options.
 */
export function newLogInfo(fid: Uint8Array, options: CreateLogOptions = {}): LogInfo {
  checkFid(fid)
  const anchorSeq = options.anchorSeq ?? 0
  checkSeqArg(anchorSeq, 'anchorSeq')
  const anchorMid = options.anchorMid ?? fid.subarray(0, MID_BYTES)
  checkMid(anchorMid, 'anchorMid')
  if (options.parentFid !== undefined) checkFid(options.parentFid)
  const parentSeq = options.parentSeq ?? 0
  checkSeqArg(parentSeq, 'parentSeq')
  return {
    fid: fid.slice(),
    parentFid: options.parentFid?.slice(),
    parentSeq,
    anchorSeq,
    anchorMid: anchorMid.slice(),
    frontSeq: anchorSeq,
    frontMid: anchorMid.slice(),
  }
}

/**
 * Checks an entry offered to a log whose header is `info`: seq = front+1 first, then (in
 * verifyEntry) length, DMX, signature.
 * @returns the verified entry, with its mid.
 * @throws StoreError STORE_SEQ; PacketError PACKET_LENGTH / PACKET_DMX / PACKET_SIGNATURE unchanged.
 */
export function checkAppend(info: LogInfo, seq: number, wire: Uint8Array, verifier: Verifier): Entry {
  checkNextSeq(info, seq)
  return verifyEntry({ fid: info.fid, seq, prev: info.frontMid }, wire, verifier)
}

/** @throws StoreError STORE_SEQ unless `seq` is front+1 (and a valid seq: a full log takes none). */
function checkNextSeq(info: LogInfo, seq: number): void {
  if (seq !== info.frontSeq + 1 || !isSeq(seq)) {
    const want = isSeq(info.frontSeq + 1) ? `${info.frontSeq + 1}` : 'none (the log is full)'
    throw new StoreError('STORE_SEQ', `append to log ${shortFid(info.fid)}: expected seq ${want}, got ${seq}`)
  }
}

/**
 * Checks consecutive entries offered from `seq` on, each against the one before (see checkAppend).
 * @returns the verified prefix, and the error that stopped it (if any).
 * @throws StoreError STORE_SEQ when `seq` is not front+1 (nothing is checked then).
 */
export function checkAppendMany(
  info: LogInfo,
  seq: number,
  wires: readonly Uint8Array[],
  verifier: Verifier,
): { entries: Entry[]; error?: unknown } {
  const entries: Entry[] = []
  let front = info
  for (let i = 0; i < wires.length; i++) {
    try {
      const e = checkAppend(front, seq + i, wires[i]!, verifier)
      entries.push(e)
      front = { ...front, frontSeq: e.seq, frontMid: e.mid }
    } catch (error) {
      if (i === 0 && error instanceof StoreError) throw error
      return { entries, error }
    }
  }
  return { entries }
}

/** What the signature of a decoded entry covers: for `Verifier.verifyMany`. */
export function signatureItem(e: Entry): VerifyItem {
  return entrySignatureItem(e, e.wire)
}

/**
 * {@link checkAppendMany} with the signatures checked in one `verifier.verifyMany` call (worker
 * threads) when the verifier has it: the chain is first followed by length and DMX (cheap), then
 * all signatures are checked at once, and the prefix up to the first bad one is kept.
 */
export async function checkAppendManyAsync(
  info: LogInfo,
  seq: number,
  wires: readonly Uint8Array[],
  verifier: Verifier,
): Promise<{ entries: Entry[]; error?: unknown }> {
  if (!verifier.verifyMany || wires.length < 2) return checkAppendMany(info, seq, wires, verifier)
  checkNextSeq(info, seq) // as in checkAppendMany: a wrong first seq throws, nothing is checked
  const candidates: Entry[] = []
  let error: unknown
  let prev = info.frontMid
  // the entries keep their own copy of the bytes (the caller's buffers may change while the
  // signatures are checked): one buffer for the batch, each entry a view of it
  const own = new Uint8Array(PACKET_BYTES * wires.length)
  for (let i = 0; i < wires.length; i++) {
    try {
      const w = wires[i]!
      // a wire of the wrong length is decoded as it is: decodeEntry refuses it (PACKET_LENGTH)
      const fits = w instanceof Uint8Array && w.length === PACKET_BYTES
      const copy = fits ? own.subarray(i * PACKET_BYTES, (i + 1) * PACKET_BYTES) : w
      if (fits) copy.set(w)
      const e = decodeEntry({ fid: info.fid, seq: seq + i, prev }, copy, { view: true }) // length and DMX
      candidates.push(e)
      prev = e.mid
    } catch (err) {
      error = err
      break
    }
  }
  const oks = await verifier.verifyMany(entrySignatureItems(candidates))
  const bad = oks.indexOf(false)
  if (bad < 0) return error === undefined ? { entries: candidates } : { entries: candidates, error }
  const e = candidates[bad]!
  return {
    entries: candidates.slice(0, bad),
    error: new PacketError('PACKET_SIGNATURE', `entry seq ${e.seq}: signature does not verify under the feed ID`),
  }
}

/** The first seq `entries(fid, from)` yields: never at or below the anchor. */
export function firstSeq(info: Pick<LogInfo, 'anchorSeq'>, from: number | undefined): number {
  if (from === undefined) return info.anchorSeq + 1
  if (typeof from !== 'number' || Number.isNaN(from)) throw new TypeError(`"from" expected a number, got ${from}`)
  return Math.max(Math.ceil(from), info.anchorSeq + 1)
}

/** The first 8 hex digits of a feed ID, for messages. */
export function shortFid(fid: Uint8Array): string {
  return `${toHex(fid.subarray(0, 4))}…`
}

/** @throws StoreError STORE_NOT_FOUND for a log the store does not hold. */
export function notFound(fid: Uint8Array): StoreError {
  return new StoreError('STORE_NOT_FOUND', `no log for feed ${toHex(fid)}`)
}

/** @throws StoreError STORE_EXISTS. */
export function exists(fid: Uint8Array): StoreError {
  return new StoreError('STORE_EXISTS', `a log for feed ${toHex(fid)} exists already`)
}

/** StoreError STORE_CLOSED. */
export function closed(what: string): StoreError {
  return new StoreError('STORE_CLOSED', `${what} is closed`)
}

/** StoreError STORE_SEQ: another append changed the log while a batch was being checked. */
export function movedWhileChecking(info: LogInfo, seq: number): StoreError {
  return new StoreError('STORE_SEQ', `append to log ${shortFid(info.fid)}: the log moved past seq ${seq - 1} while entries from ${seq} were checked`)
}
