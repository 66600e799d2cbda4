// Recovering a node's own feed from peers before it appends (docs/extensions.md "Never fork your
// own feed (library part)"): the own feed is replicated like any other feed — from the last entry
// held, or from the genesis into a new empty log — for a bounded time; what arrives is verified and
// appended by the engine. The recovery marker goes only when the entries are back up to the old
// front; otherwise it stays (or is written), so appends stay refused.
import { equalBytes, toHex, type Face } from '@tinyssb/packet'
import { noteRewind } from '@tinyssb/repo'
import { createNode, type NodeOptions } from '@tinyssb/replication'
import { CliError } from './errors.js'
import type { Io } from './io.js'
import type { OpenedNode } from './node-dir.js'
import { checkOwnFeed, guardOwnFeed, recoverHint, type OwnCheck } from './own-feed.js'
import type { Progress } from './progress.js'

/** Options of {@link recoverOwnFeed}. */
export interface RecoverOptions {
  /** How long to wait for peers, in ms. */
  readonly timeoutMs: number
  /** Where the recovery says what it does (one line each). */
  readonly say: (line: string) => void
  readonly progress?: Progress
  /** Also ask peers when the feed looks new (no log, no front seen): `log recover` does, prodcons and chat do not. */
  readonly evenIfNew?: boolean
  /** Engine settings (window, WANT interval and size) for the recovery's node. */
  readonly engine?: Pick<NodeOptions, 'window' | 'wantIntervalMs' | 'wantBytes' | 'retryMinMs'>
}

/** What {@link recoverOwnFeed} did. */
export interface RecoverResult {
  /** The own feed's state before. */
  readonly before: OwnCheck
  /** ... and after (ok once the entries are back). */
  readonly after: OwnCheck
  /** False when there was nothing to recover (the feed was ok, or new). */
  readonly attempted: boolean
  /** The entries are back up to the old front (or, with no known front, peers had entries and nothing more). */
  readonly complete: boolean
  /** A log was created for the recovery and nothing came: it holds no entry (log recover deletes it again). */
  readonly emptyCreated: boolean
  /** Seconds waited. */
  readonly seconds: number
}

/**
 * Recovers the node's own feed from peers on `faces` when it is not safe to append to (see
 * checkOwnFeed): missing (lost) or rewound. Damaged logs must be repaired first (CliError CLI_FORK).
 * The faces stay open; the node's stores are used directly (the caller owns the directory).
 */
export async function recoverOwnFeed(node: OpenedNode, faces: readonly Face[], opts: RecoverOptions): Promise<RecoverResult> {
  const started = Date.now()
  const before = await checkOwnFeed(node)
  if (before.state === 'ok' || (before.state === 'new' && !opts.evenIfNew)) {
    return { before, after: before, attempted: false, complete: before.state === 'ok', emptyCreated: false, seconds: 0 }
  }
  if (before.state === 'damaged') throw new CliError('CLI_FORK', `${before.message}; ${recoverHint(node, before)}`)
  const fid = node.config.feedID
  const key = toHex(fid)
  const created = !(await node.logs.info(fid))
  if (created) await node.logs.create(fid) // anchor seq 0, fid[0:20]: the genesis entry verifies against it
  const target = before.target
  const secs = opts.timeoutMs / 1000
  opts.say(
    target !== undefined
      ? `${before.message}: asking peers for entries [${before.front + 1}..${target}] (waiting at most ${secs} s)`
      : `asking peers for ${node.name}'s own feed from entry [${before.front + 1}] (waiting at most ${secs} s)`,
  )
  // no ownFeeds: the own feed is a replica for now, asked for like any other
  const engine = createNode({ logs: node.logs, blobs: node.blobs, faces, ...opts.engine })
  const progress = opts.progress
  progress?.track(key, node.name, before.front)
  if (target !== undefined) progress?.target(key, node.name, target)
  let timer: ReturnType<typeof setTimeout> | undefined
  const offs: Array<() => void> = []
  const done = new Promise<string>((resolve) => {
    offs.push(
      engine.on('append', (e) => {
        if (!equalBytes(e.fid, fid) || e.source !== 'remote') return
        progress?.update(key, node.name, e.seq)
        if (target !== undefined && e.seq >= target) resolve('target')
      }),
      engine.on('caught-up', (e) => {
        if (equalBytes(e.fid, fid) && target === undefined) resolve('caught-up')
      }),
    )
    timer = setTimeout(() => resolve('timeout'), opts.timeoutMs)
  })
  let why: string
  try {
    await engine.start()
    why = await done
  } finally {
    clearTimeout(timer)
    for (const off of offs) off()
    await engine.stop()
    progress?.finish(key)
  }
  const front = (await node.logs.info(fid))?.frontSeq ?? 0
  // short of the old front: the marker says so (for a log that was missing, too), appends stay refused
  if (target !== undefined && front < target) noteRewind(node.dir, fid, { frontBefore: target, frontAfter: front })
  const after = await checkOwnFeed(node) // clears the marker when the entries are back, records the front
  const complete = target !== undefined ? front >= target : why === 'caught-up' && front > 0
  return { before, after, attempted: true, complete, emptyCreated: created && front === 0, seconds: (Date.now() - started) / 1000 }
}

/** One line for the user about a recovery's result. */
export function describeRecovery(node: OpenedNode, r: RecoverResult): string {
  const { before, after } = r
  if (!r.attempted) return `nothing to recover: ${before.message}`
  const got = after.front - before.front
  const took = `${r.seconds.toFixed(1)} s`
  if (r.complete) return `recovered ${node.name}'s own feed: [${before.front}] → [${after.front}], ${got} entries from peers in ${took}; appending is safe again`
  if (before.target === undefined) {
    return got > 0
      ? `got [${before.front}] → [${after.front}] (${got} entries) of ${node.name}'s own feed in ${took}; peers may hold more`
      : `no peer sent entries of ${node.name}'s own feed in ${took}`
  }
  return `recovered only [${before.front}] → [${after.front}] of [${before.target}] (${before.target - after.front} entries still missing) in ${took}`
}

/**
 * What a long-running command (prodcons' producer, chat) does before it appends to its own feed:
 * recover it from peers when needed (bounded by `timeoutMs`), say how that went, then guard it —
 * refused with CliError CLI_FORK if still unsafe, unless `force` (a warning, the marker cleared).
 */
export async function startOwnFeed(node: OpenedNode, faces: readonly Face[], opts: RecoverOptions & { force: boolean; io: Io }): Promise<OwnCheck> {
  const r = await recoverOwnFeed(node, faces, opts)
  if (r.attempted) opts.say(describeRecovery(node, r))
  return guardOwnFeed(node, opts.force, opts.io)
}
