// fsck of many logs at once, on every core: the DMX chain of each log is followed on this thread
// (cheap hashing), and the signatures go in large batches to a Verifier's verifyMany — by default
// the packet verify pool (libsodium or node:crypto on worker threads and this thread). The verdict
// for each log is the one checkLog gives.
import { availableParallelism } from 'node:os'
import { decodeEntry, equalBytes, PacketError, TinySSBError, type Entry, type LogInfo, type LogStore, type Verifier, type VerifyItem } from '@tinyssb/packet'
import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { entryProblem, frontMidMismatch, missingEntry, type LogCheck } from './check-log.js'
import { signatureItem } from './log-rules.js'

/** Progress of {@link verifyLogs}, reported after each batch of signatures. */
export interface VerifyLogsProgress {
  /** Logs whose every entry has been checked. */
  readonly feeds: number
  readonly feedsTotal: number
  /** Entries checked (signatures answered). */
  readonly entries: number
  /** Entries of all the logs (front − anchor, from their headers). */
  readonly entriesTotal: number
}

/** Options of {@link verifyLogs}. */
export interface VerifyLogsOptions {
  /**
   * Checks the signatures, in batches through `verifyMany` when it has one (else one by one).
   * Default: `parallelEd25519({ threads: workers })` from `@tinyssb/packet/node-crypto`, closed at the end.
   */
  readonly verifier?: Verifier
  /**
   * Worker threads of the default verifier (default: one per core). This thread reads the logs and
   * follows their chains besides its share of signatures, so a worker on every core keeps them all busy.
   */
  readonly workers?: number
  /** The logs to check (default: every log of the store, `store.feeds()`). */
  readonly feeds?: readonly Uint8Array[]
  /** Called after each batch of signatures, and once at the end. */
  readonly onProgress?: (progress: VerifyLogsProgress) => void
  /** Signatures per verifyMany call (default 2048). */
  readonly batchSize?: number
}

/** What {@link verifyLogs} found: one {@link LogCheck} per log, in the order checked. */
export interface LogsVerification {
  /** Whether every log checked out. */
  readonly ok: boolean
  readonly results: readonly { readonly fid: Uint8Array; readonly check: LogCheck }[]
  /** Entries whose signature was checked. */
  readonly entries: number
}

/** Batches in flight at once: this thread reads and chains the next while workers check the last. */
const IN_FLIGHT = 2

interface FeedState {
  readonly fid: Uint8Array
  entries: number
  /** Entries not answered yet; the log is done at 0 once it was read to its end. */
  pending: number
  read: boolean
  /** The first failure (lowest seq) found so far. */
  failure?: Extract<LogCheck, { ok: false }>
}

/**
 * Checks whole logs like {@link checkLog} — each entry present, chained by DMX from the anchor, its
 * signature valid, the header's front mid that of the last entry — with the signatures of many
 * logs checked in parallel. Never throws for bad data: each log gets `{ ok: false, seq, code }` for
 * its first bad entry. It only reads: a damaged log found here is not marked (the fs store's own
 * `verify(fid)` does that).
 * @param store - only `feeds`, `info` and `get` are used.
 * @param opts - verifier or worker count, logs, progress callback; see {@link VerifyLogsOptions}.
 * @returns one result per log.
 * @example
 * ```ts
 * const logs = await fsLogStore({ dir: 'data/nodeA', verifier: ed25519, readOnly: true })
 * const r = await verifyLogs(logs, { onProgress: (p) => bar.update(p.entries, { total: p.entriesTotal }) })
 * for (const { fid, check } of r.results) if (!check.ok) console.log(toHex(fid), check.seq, check.code)
 * ```
 */
export async function verifyLogs(store: Pick<LogStore, 'feeds' | 'info' | 'get'>, opts: VerifyLogsOptions = {}): Promise<LogsVerification> {
  const own = opts.verifier ? undefined : parallelEd25519({ threads: opts.workers ?? availableParallelism() })
  const verifier = opts.verifier ?? own!
  const batchSize = Math.max(1, opts.batchSize ?? 2048)
  const fids: Uint8Array[] = []
  if (opts.feeds) fids.push(...opts.feeds)
  else for await (const fid of store.feeds()) fids.push(fid)

  const states: FeedState[] = fids.map((fid) => ({ fid, entries: 0, pending: 0, read: false }))
  const infos: (LogInfo | undefined)[] = []
  let entriesTotal = 0
  for (const st of states) {
    const info = await guard(st, 0, () => store.info(st.fid))
    if (info === undefined && !st.failure) st.failure = { ok: false, seq: 0, code: 'STORE_NOT_FOUND', message: 'no such log' }
    infos.push(info)
    if (info) entriesTotal += info.frontSeq - info.anchorSeq
  }

  let checked = 0
  let feedsDone = 0
  const progress = (): void => opts.onProgress?.({ feeds: feedsDone, feedsTotal: states.length, entries: checked, entriesTotal })
  const finish = (st: FeedState): void => {
    if (st.read && st.pending === 0) feedsDone++
  }

  let batch: { st: FeedState; seq: number; item: VerifyItem }[] = []
  const inFlight = new Set<Promise<void>>()
  const flush = async (): Promise<void> => {
    const jobs = batch
    batch = []
    if (jobs.length === 0) return
    const items = jobs.map((j) => j.item)
    const p = (verifier.verifyMany ? verifier.verifyMany(items) : Promise.resolve(items.map((i) => verifier.verify(i.sig, i.msg, i.publicKey)))).then((oks) => {
      oks.forEach((ok, i) => {
        const { st, seq } = jobs[i]!
        if (!ok && (!st.failure || seq < st.failure.seq)) st.failure = entryProblem('PACKET_SIGNATURE', seq)
        st.pending--
        if (st.pending === 0) finish(st)
      })
      checked += jobs.length
      inFlight.delete(p)
      progress()
    })
    inFlight.add(p)
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight)
  }

  try {
    for (let i = 0; i < states.length; i++) {
      const st = states[i]!
      const info = infos[i]
      if (info) {
        let prev = info.anchorMid
        for (let seq = info.anchorSeq + 1; seq <= info.frontSeq && !st.failure; seq++) {
          const wire = await guard(st, seq, () => store.get(st.fid, seq))
          if (st.failure) break
          if (!wire) {
            st.failure = missingEntry(seq, info.frontSeq)
            break
          }
          const e = chained(st, seq, prev, wire)
          if (!e) break
          prev = e.mid
          st.entries++
          st.pending++
          batch.push({ st, seq, item: signatureItem(e) })
          if (batch.length >= batchSize) await flush()
        }
        if (!st.failure && !equalBytes(prev, info.frontMid)) st.failure = frontMidMismatch(info.frontSeq)
      }
      st.read = true
      finish(st)
    }
    await flush()
    await Promise.all(inFlight)
  } finally {
    await own?.close()
  }
  progress()
  const results = states.map((st, i) => ({
    fid: st.fid,
    check: st.failure ?? ({ ok: true, entries: st.entries, frontSeq: infos[i]!.frontSeq } as LogCheck),
  }))
  return { ok: results.every((r) => r.check.ok), results, entries: checked }
}

/** Entry `seq` decoded at its position (length and DMX), or undefined with the failure noted. */
function chained(st: FeedState, seq: number, prev: Uint8Array, wire: Uint8Array): Entry | undefined {
  try {
    return decodeEntry({ fid: st.fid, seq, prev }, wire)
  } catch (err) {
    if (!(err instanceof PacketError)) throw err
    st.failure = entryProblem(err.code === 'PACKET_LENGTH' ? 'PACKET_LENGTH' : 'PACKET_DMX', seq)
    return undefined
  }
}

/** Runs a store read; a TinySSBError (corrupt header, I/O) becomes the log's failure at `seq`. */
async function guard<T>(st: FeedState, seq: number, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read()
  } catch (err) {
    if (!(err instanceof TinySSBError)) throw err
    st.failure = { ok: false, seq, code: err.code, message: err.message }
    return undefined
  }
}
