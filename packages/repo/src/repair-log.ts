// An explicit repair of one log (`tinyssb log repair`), with a report of what was cut.
import { join } from 'node:path'
import { toHex, type Verifier } from '@tinyssb/packet'
import type { LogCheck } from './check-log.js'
import { checkFid } from './checks.js'
import { fsLogStore, LOGS_DIR } from './fs-log-store.js'
import type { LogRepair } from './log-file.js'
import { isRewind, noteRewind } from './own-feed.js'

/** Options of {@link repairLog}. */
export interface RepairLogOptions {
  /** The node directory (logs in `dir/_logs`). */
  readonly dir: string
  /** The feed whose log to repair. */
  readonly fid: Uint8Array
  /** Checks signatures while repairing and verifying. */
  readonly verifier: Verifier
  /** fsync what the repair writes. Default true: a repair is rare and must stick. */
  readonly durable?: boolean
  /**
   * The log is the node's own feed: a repair that cuts entries writes the recovery marker (see
   * `ownFeedGuard`), so appends wait for a recovery from peers. Default false.
   */
  readonly ownFeed?: boolean
}

/** What {@link repairLog} did. */
export interface LogRepairReport {
  readonly fid: Uint8Array
  /** The log file. */
  readonly path: string
  /** False when there is no log for `fid` (nothing was done). */
  readonly found: boolean
  /** Every repair made, in order: those of opening the log (a torn tail, a front beyond the file), then a cut of damage in the middle. */
  readonly repairs: readonly LogRepair[]
  /** Front seq before the repair. */
  readonly frontBefore: number
  /** Front seq after it. */
  readonly frontAfter: number
  /** Entries cut: frontBefore − frontAfter (0 when only unacknowledged bytes went). */
  readonly entriesLost: number
  /** Bytes cut from the file in all. */
  readonly bytesCut: number
  /** `verify` of the log after the repair: ok unless the damage is of a kind no cut repairs. */
  readonly check: LogCheck
}

/**
 * Repairs the log of `fid` in a node directory: opening it repairs an interrupted append (see
 * `LogRepair`); then a log damaged in the middle is cut back to its longest valid prefix (the
 * store's `repair(fid)`), and the result is verified. The entries after a cut are
 * gone: a replica fetches them again from peers; the node's own feed must be recovered from peers
 * before it appends (pass `ownFeed: true` to leave the marker that says so).
 * Do not run it beside a process that appends to the same directory.
 * @returns a {@link LogRepairReport}.
 * @throws StoreError STORE_NOT_FOUND (no `_logs` directory), STORE_CORRUPT (an unreadable
 *   header: no repair can guess it), STORE_IO.
 * @example
 * ```ts
 * const r = await repairLog({ dir: 'data/nodeA', fid, verifier: ed25519, ownFeed: true })
 * console.log(`cut ${r.entriesLost} entries (${r.bytesCut} bytes): front ${r.frontBefore} → ${r.frontAfter}`)
 * ```
 */
export async function repairLog(opts: RepairLogOptions): Promise<LogRepairReport> {
  checkFid(opts.fid)
  const fid = opts.fid.slice()
  const repairs: LogRepair[] = []
  const path = join(opts.dir, LOGS_DIR, `${toHex(fid)}.log`)
  const store = await fsLogStore({
    dir: opts.dir,
    verifier: opts.verifier,
    durable: opts.durable ?? true,
    onRepair: (r) => repairs.push(r),
  })
  try {
    const opened = await store.info(fid)
    if (!opened) {
      const check: LogCheck = { ok: false, seq: 0, code: 'STORE_NOT_FOUND', message: 'no such log' }
      return { fid, path, found: false, repairs, frontBefore: 0, frontAfter: 0, entriesLost: 0, bytesCut: 0, check }
    }
    await store.repair(fid) // reported through onRepair too
    const after = (await store.info(fid))!
    const check = await store.verify(fid)
    const frontBefore = Math.max(after.frontSeq, ...repairs.map((r) => r.frontBefore))
    const entriesLost = Math.max(0, frontBefore - after.frontSeq)
    if (opts.ownFeed && repairs.some(isRewind)) noteRewind(opts.dir, fid, { frontBefore, frontAfter: after.frontSeq })
    const bytesCut = repairs.reduce((n, r) => n + r.bytesCut, 0)
    return { fid, path, found: true, repairs, frontBefore, frontAfter: after.frontSeq, entriesLost, bytesCut, check }
  } finally {
    await store.close()
  }
}
