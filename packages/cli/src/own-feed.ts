// Never fork your own feed (docs/extensions.md "Never fork your own feed (library part)"): every
// append of the CLI to a node's own feed goes through appendOwn, which asks @tinyssb/repo's guard
// first. The CLI adds one fact the store cannot know: whether the feed ever had entries. It keeps
// the highest front it has seen in feed-front.json beside config.json (the original never reads
// it), so a missing log is "new" (never written: the first append is the genesis) or "missing"
// (lost: peers may hold its entries), and a log that is shorter than the front seen before (a
// backup put back) counts as rewound.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { toHex } from '@tinyssb/packet'
import { appendToFeed, clearRecoveryMarker, noteRewind, StoreError, type AppendToFeedOptions, type AppendedEntry, type OwnFeedStatus } from '@tinyssb/repo'
import { CliError } from './errors.js'
import type { Io } from './io.js'
import type { OpenedNode } from './node-dir.js'

/** The record of the highest front of the own feed the CLI has seen, in the node directory. */
export const FRONT_FILE = 'feed-front.json'

/** {@link OwnFeedStatus}'s states, plus `new`: no log, and none was ever seen (safe: the next append is the genesis). */
export type OwnState = OwnFeedStatus['state'] | 'new'

/** What {@link checkOwnFeed} found. */
export interface OwnCheck {
  readonly state: OwnState
  readonly safeToAppend: boolean
  /** The front now (0 when there is no log). */
  readonly front: number
  /** How far the feed went before (missing, rewound): what a recovery should get back to. */
  readonly target: number | undefined
  /** One line for the user. */
  readonly message: string
}

/** The front recorded in {@link FRONT_FILE} for feed `fid`, or undefined (no record, another feed's, unreadable). */
export function recordedFront(dir: string, fid: Uint8Array): number | undefined {
  try {
    const r = JSON.parse(readFileSync(join(dir, FRONT_FILE), 'utf8')) as { feedID?: unknown; front?: unknown }
    return r.feedID === toHex(fid) && Number.isSafeInteger(r.front) && (r.front as number) >= 0 ? (r.front as number) : undefined
  } catch {
    return undefined
  }
}

/** Writes `front` for feed `fid` to {@link FRONT_FILE} (atomically: a temporary file, then rename). */
export function recordFront(dir: string, fid: Uint8Array, front: number): void {
  const path = join(dir, FRONT_FILE)
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify({ feedID: toHex(fid), front })}\n`)
  renameSync(tmp, path)
}

/**
 * The state of the node's own feed: the repo guard's answer (repairs seen on open, the recovery
 * marker), with a missing log told apart as `new` or lost by the front record. When the log is
 * back at (or past) what was lost, the recovery marker is cleared. Writes the record when the log
 * is ahead of it (not for a node opened read-only).
 */
export async function checkOwnFeed(node: OpenedNode): Promise<OwnCheck> {
  const fid = node.config.feedID
  const s = await node.guard.status(node.logs)
  const seen = recordedFront(node.dir, fid)
  const front = s.info?.frontSeq ?? 0
  const who = `${node.name}'s own feed ${toHex(fid).slice(0, 16)}…`
  if (s.state === 'missing') {
    if (seen === undefined || seen === 0) {
      return { state: 'new', safeToAppend: true, front: 0, target: undefined, message: `${who} has no entries yet: the first append is its genesis entry` }
    }
    return { state: 'missing', safeToAppend: false, front: 0, target: seen, message: `${who} had ${seen} entries here, but its log is gone: peers may hold them, and a new genesis entry would fork the feed` }
  }
  if (s.state === 'ok' && seen !== undefined && front < seen && !node.readOnly) {
    // shorter than before without a repair that says so (a log file put back from a backup)
    noteRewind(node.dir, fid, { frontBefore: seen, frontAfter: front })
    return checkOwnFeed(node)
  }
  if (s.state === 'rewound') {
    return { state: 'rewound', safeToAppend: false, front, target: s.frontBefore, message: `${who} was cut back from entry ${s.frontBefore} to ${front}: peers may hold the ${s.lost} lost entries, and a new entry ${front + 1} would fork the feed` }
  }
  if (s.state === 'damaged') return { state: 'damaged', safeToAppend: false, front, target: undefined, message: s.message }
  if (!node.readOnly) {
    if (s.frontBefore !== undefined) clearRecoveryMarker(node.dir) // the lost entries are back
    if (seen === undefined || seen < front) recordFront(node.dir, fid, front)
  }
  return { state: 'ok', safeToAppend: true, front, target: undefined, message: `${who} is at entry ${front}` }
}

/** What the user is told to do about an own feed that is not safe to append to. */
export function recoverHint(node: OpenedNode, c: OwnCheck): string {
  return c.state === 'damaged'
    ? `run "tinyssb log repair --node ${node.name}" first`
    : `run "tinyssb log recover --node ${node.name}" with the faces of peers that hold it, or give --force to append anyway (peers will see a fork)`
}

/**
 * Refuses an append to the own feed that could fork it (CliError CLI_FORK, exit 1), unless `force`:
 * then it warns on stderr that peers will see a fork and clears the recovery marker.
 * @returns the check that allowed it.
 */
export async function guardOwnFeed(node: OpenedNode, force: boolean, io: Io): Promise<OwnCheck> {
  const c = await checkOwnFeed(node)
  if (c.safeToAppend) return c
  if (!force) throw new CliError('CLI_FORK', `${c.message}; ${recoverHint(node, c)}`)
  io.err(`tinyssb: warning: --force: ${c.message}. Appending anyway: peers that hold the lost entries will see a fork of this feed.`)
  clearRecoveryMarker(node.dir)
  return { ...c, safeToAppend: true }
}

/**
 * Appends `content` to the node's own feed (appendToFeed of @tinyssb/repo) and records the new
 * front. Call {@link guardOwnFeed} first (once per process is enough: the process is the only writer).
 * @throws CliError CLI_FORK for a log damaged in the middle (STORE_DAMAGED): "run log repair".
 */
export async function appendOwn(node: OpenedNode, content: Uint8Array, options: AppendToFeedOptions = {}): Promise<AppendedEntry> {
  let r: AppendedEntry
  try {
    r = await appendToFeed(node, content, options)
  } catch (err) {
    if (err instanceof StoreError && err.code === 'STORE_DAMAGED') {
      throw new CliError('CLI_FORK', `${node.name}'s own feed is damaged (${err.message}); run "tinyssb log repair --node ${node.name}" first`, { cause: err })
    }
    throw err
  }
  recordFront(node.dir, node.config.feedID, r.entry.seq)
  return r
}
