// "Never fork your own feed": what a node's store can tell about its own feed before it appends.
// A feed's author must not sign a second, different entry at a seq that peers may already hold;
// that happens when its log was cut back (a repair on open, or an explicit repair) or is gone.
// The store reports repairs through `onRepair`; this module collects them for the node's own feed,
// remembers a rewind across restarts (a marker file beside config.json, which the original never
// reads), and says whether appending is safe.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { equalBytes, toHex, type LogInfo, type LogStore } from '@tinyssb/packet'
import type { LogCheck } from './check-log.js'
import { checkFid } from './checks.js'
import { errnoCode, ioError, StoreError } from './errors.js'
import { unlinkQuiet, writeAtomic } from './fs-dir.js'
import type { LogRepair } from './log-file.js'

/** The marker file, in the node directory, of an own feed that must be recovered before appending. */
export const RECOVERY_FILE = 'feed-recovery.json'

/**
 * - `ok`: the log is there and was not cut back: appending continues the feed.
 * - `missing`: no log for the node's own feed: peers may hold entries of it (a deleted `_logs`).
 * - `rewound`: a repair moved the front back (now, or in an earlier run that left the marker):
 *   entries that may have been sent are gone, and new ones would fork the feed.
 * - `damaged`: the log does not verify (a break in the chain, a bad signature).
 */
export type OwnFeedState = 'ok' | 'missing' | 'rewound' | 'damaged'

/** What {@link ownFeedStatus} found. */
export interface OwnFeedStatus {
  readonly state: OwnFeedState
  /** True only for `ok`: otherwise recover the feed from peers first, or let the user force it. */
  readonly safeToAppend: boolean
  /** The log's header now (undefined when missing). */
  readonly info: LogInfo | undefined
  /** Repairs of this feed's log seen by the guard (harmless ones, such as a torn unacknowledged block, included). */
  readonly repairs: readonly LogRepair[]
  /** The highest front the log had before it was cut back (rewound), else undefined. */
  readonly frontBefore: number | undefined
  /** Entries that may be held by peers but are gone here: frontBefore − front (rewound), else 0. */
  readonly lost: number
  /** The verify result, when one was made and it failed (damaged). */
  readonly damage: Extract<LogCheck, { ok: false }> | undefined
  /** One line for the user. */
  readonly message: string
}

/** What the marker file holds. */
export interface RecoveryMarker {
  /** The own feed, hex. */
  readonly feedID: string
  readonly reason: 'rewound'
  /** The highest front seq known before the cut. */
  readonly frontBefore: number
  /** The front seq right after the cut. */
  readonly frontAfter: number
}

/** Options of {@link ownFeedStatus}. */
export interface OwnFeedStatusOptions {
  /** Repairs of the log reported by the store's `onRepair` (others' are ignored). */
  readonly repairs?: readonly LogRepair[]
  /** The node directory: a marker left by an earlier run counts as a rewind. */
  readonly dir?: string
  /** Also run the store's `verify(fid)` (a full check, signatures included) and report damage. */
  readonly verify?: boolean
}

/** A repair that moved the front back: entries were lost, not only unacknowledged bytes. */
export function isRewind(r: LogRepair): boolean {
  return r.frontAfter < r.frontBefore
}

/**
 * Tells whether a node may append to its own feed `fid` (see {@link OwnFeedState}). Looking the
 * log up opens it, so a file store repairs it now if needed: pass the repairs its `onRepair`
 * reported (an {@link ownFeedGuard} collects them).
 * @throws StoreError from the store (STORE_CORRUPT for an unreadable header, STORE_IO…).
 */
export async function ownFeedStatus(
  store: Pick<LogStore, 'info'> & { verify?: (fid: Uint8Array) => Promise<LogCheck> },
  fid: Uint8Array,
  options: OwnFeedStatusOptions = {},
): Promise<OwnFeedStatus> {
  checkFid(fid)
  const info = await store.info(fid)
  const repairs = (options.repairs ?? []).filter((r) => equalBytes(r.fid, fid))
  const marker = options.dir === undefined ? undefined : readRecoveryMarker(options.dir)
  const markerBefore = marker && marker.feedID === toHex(fid) ? marker.frontBefore : undefined
  const rewinds = repairs.filter(isRewind).map((r) => r.frontBefore)
  const frontBefore = rewinds.length || markerBefore !== undefined ? Math.max(...rewinds, markerBefore ?? 0) : undefined
  const base = { info, repairs, frontBefore, damage: undefined }
  if (!info) {
    return { ...base, state: 'missing', safeToAppend: false, lost: 0, message: `no log for the node's own feed ${short(fid)}: peers may hold entries of it; recover it from them first` }
  }
  const lost = frontBefore === undefined ? 0 : Math.max(0, frontBefore - info.frontSeq)
  if (frontBefore !== undefined && lost > 0) {
    const message = `the own feed ${short(fid)} was cut back from entry ${frontBefore} to ${info.frontSeq}: peers may hold the ${lost} lost entries, and a new entry ${info.frontSeq + 1} would fork the feed; recover it from them first`
    return { ...base, state: 'rewound', safeToAppend: false, lost, message }
  }
  if (options.verify && store.verify) {
    const check = await store.verify(fid)
    if (!check.ok) {
      return { ...base, damage: check, state: 'damaged', safeToAppend: false, lost: 0, message: `the own feed ${short(fid)} is damaged at entry ${check.seq} (${check.code}): ${check.message}` }
    }
  }
  return { ...base, state: 'ok', safeToAppend: true, lost: 0, message: `the own feed ${short(fid)} is at entry ${info.frontSeq}` }
}

/** Collects the repairs of one feed's log and tells its state; see {@link ownFeedGuard}. */
export interface OwnFeedGuard {
  /** Pass as `fsLogStore({ onRepair })` (or call it from your own onRepair). */
  readonly onRepair: (repair: LogRepair) => void
  /** Repairs of the own feed's log seen so far. */
  readonly repairs: readonly LogRepair[]
  /** {@link ownFeedStatus} with the repairs seen and the guard's directory. */
  status(store: Parameters<typeof ownFeedStatus>[0], options?: Pick<OwnFeedStatusOptions, 'verify'>): Promise<OwnFeedStatus>
}

/**
 * A guard for a node's own feed: wire `onRepair` into the store that opens the node's logs, then
 * ask `status(store)` before appending. With `dir`, a rewind is also written to the marker file
 * {@link RECOVERY_FILE} the moment it is reported, so the next run still knows after the repaired
 * log looks intact; {@link clearRecoveryMarker} removes it once the feed is recovered (or the user
 * forced an append).
 * @example
 * ```ts
 * const guard = ownFeedGuard(myFid, { dir })
 * const logs = await fsLogStore({ dir, verifier, onRepair: guard.onRepair })
 * const s = await guard.status(logs)
 * if (!s.safeToAppend) throw new Error(s.message) // or recover first
 * ```
 */
export function ownFeedGuard(fid: Uint8Array, options: { readonly dir?: string } = {}): OwnFeedGuard {
  checkFid(fid)
  const own = fid.slice()
  const repairs: LogRepair[] = []
  const dir = options.dir
  return {
    repairs,
    onRepair(r) {
      if (!equalBytes(r.fid, own)) return
      repairs.push(r)
      if (dir !== undefined && isRewind(r)) noteRewind(dir, own, r)
    },
    status(store, opts = {}) {
      return ownFeedStatus(store, own, { repairs, ...(dir === undefined ? {} : { dir }), ...opts })
    },
  }
}

/** Writes (or raises) the marker for a rewind of `fid`. @throws StoreError STORE_IO. */
export function noteRewind(dir: string, fid: Uint8Array, r: Pick<LogRepair, 'frontBefore' | 'frontAfter'>): void {
  const had = readRecoveryMarker(dir)
  const same = had?.feedID === toHex(fid)
  const marker: RecoveryMarker = {
    feedID: toHex(fid),
    reason: 'rewound',
    frontBefore: Math.max(r.frontBefore, same ? had.frontBefore : 0),
    frontAfter: Math.min(r.frontAfter, same ? had.frontAfter : r.frontAfter),
  }
  const path = join(dir, RECOVERY_FILE)
  try {
    writeAtomic(path, new TextEncoder().encode(`${JSON.stringify(marker, null, 2)}\n`), { durable: true })
  } catch (err) {
    throw ioError(`cannot write ${path}`, err)
  }
}

/**
 * The marker of an own feed that must be recovered, or undefined when there is none.
 * @throws StoreError STORE_CORRUPT for a marker that is not what this module writes (delete it
 *   after checking the feed), STORE_IO when it cannot be read.
 */
export function readRecoveryMarker(dir: string): RecoveryMarker | undefined {
  const path = join(dir, RECOVERY_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined
    throw ioError(`cannot read ${path}`, err)
  }
  let m: Partial<RecoveryMarker> | null = null
  try {
    m = JSON.parse(text) as Partial<RecoveryMarker> | null
  } catch {
    // reported below
  }
  if (m && typeof m.feedID === 'string' && /^[0-9a-f]{64}$/.test(m.feedID) && isCount(m.frontBefore) && isCount(m.frontAfter)) {
    return { feedID: m.feedID, reason: 'rewound', frontBefore: m.frontBefore, frontAfter: m.frontAfter }
  }
  throw new StoreError('STORE_CORRUPT', `${path} is not a feed recovery marker; check the own feed, then delete the file`)
}

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0

/** Removes the marker: the feed was recovered from peers, or the user chose to fork it. */
export function clearRecoveryMarker(dir: string): void {
  unlinkQuiet(join(dir, RECOVERY_FILE))
}

function short(fid: Uint8Array): string {
  return `${toHex(fid).slice(0, 16)}…`
}
