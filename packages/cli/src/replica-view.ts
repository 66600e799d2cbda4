// What a running node shows about the feeds it replicates: catch-up progress (a bar, lines or JSON
// events, see progress.ts), a line for a single entry at the live edge (at most one per second),
// and a line when a replica has what its peers offered.
import { equalBytes, toHex } from '@tinyssb/packet'
import type { TinyNode } from '@tinyssb/replication'
import type { Logger } from './logger.js'
import type { Progress } from './progress.js'

/** Options of {@link attachProgress}. */
export interface ReplicaViewOptions {
  readonly progress: Progress
  readonly log: Logger
  /** The name shown for a feed (a node name, or a short feed ID). */
  readonly names: (fid: Uint8Array) => string
  /** No line per entry (progress is off too when the progress mode is 'off'). */
  readonly quiet: boolean
}

/** The part of a node the views listen to. */
export type EventSource = Pick<TinyNode, 'on'>

/**
 * Subscribes to an engine event by name, checking its shape at run time: the engine's per-feed
 * `progress` (front hints: a target) and `own-feed-behind` events are newer than some builds of
 * @tinyssb/replication, whose emitter then simply never calls `fn`.
 */
export function onEngineEvent(node: EventSource, name: string, fn: (ev: Record<string, unknown>) => void): () => void {
  const on = node.on as unknown as (n: string, f: (ev: unknown) => void) => () => void
  return on(name, (ev) => {
    if (ev !== null && typeof ev === 'object') fn(ev as Record<string, unknown>)
  })
}

/** Shows the progress of every replica of `node` (remote appends only; own feeds are not replicas). */
export function attachProgress(node: EventSource, o: ReplicaViewOptions): () => void {
  let lastLine = 0
  // a front hint gives a replica a target: remaining entries and an ETA
  const offHint = onEngineEvent(node, 'progress', (ev) => {
    if (!(ev.fid instanceof Uint8Array) || typeof ev.target !== 'number' || typeof ev.front !== 'number') return
    const key = toHex(ev.fid)
    o.progress.track(key, o.names(ev.fid), ev.front)
    o.progress.target(key, o.names(ev.fid), ev.target)
  })
  // entries of one feed come in runs: its key and name are worked out once per run, not per entry
  let lastFid: Uint8Array | undefined
  let lastKey = ''
  let lastName = ''
  const offAppend = node.on('append', (e) => {
    if (e.source !== 'remote') return
    if (!lastFid || !equalBytes(lastFid, e.fid)) {
      lastFid = e.fid.slice()
      lastKey = toHex(e.fid)
      lastName = o.names(e.fid)
    }
    const key = lastKey
    o.progress.update(key, lastName, e.seq)
    // a single entry (the live edge) gets a line of its own; a burst is the progress display's
    if (o.quiet || (o.progress.entries(key) ?? 1) > 1) return
    const now = Date.now()
    if (now - lastLine < 1000) return
    lastLine = now
    o.log('green', `append ${key.slice(0, 20)}.[${e.seq}]`)
  })
  const offCaught = node.on('caught-up', (e) => {
    o.progress.finish(toHex(e.fid))
    o.log('cyan', `caught up with what peers offered: ${o.names(e.fid)} ${toHex(e.fid).slice(0, 20)}… at [${e.seq}]`)
  })
  return () => {
    offHint()
    offAppend()
    offCaught()
  }
}

/** What {@link watchOwnFeed} knows. */
export interface OwnFeedWatch {
  /** The highest seq of the own feed peers showed beyond the node's log, or undefined. */
  behindAt(): number | undefined
  /** Stops listening. */
  stop(): void
}

/**
 * Listens for the engine's sign that peers hold more of the node's own feed than its log (an entry
 * past the front, a front hint ahead of it): appending then would fork the feed. Says so once per
 * new seq (in red), and a fork that already happened (an entry that contradicts the log) too.
 */
export function watchOwnFeed(node: EventSource, own: Uint8Array, say: (msg: string) => void): OwnFeedWatch {
  let behind: number | undefined
  const off = onEngineEvent(node, 'own-feed-behind', (ev) => {
    if (!(ev.fid instanceof Uint8Array) || !equalBytes(ev.fid, own) || typeof ev.seq !== 'number') return
    if (ev.fork === true) say(`a peer holds a different entry [${ev.seq}] of this node's own feed: the feed is forked already`)
    if (behind !== undefined && ev.seq <= behind) return
    behind = ev.seq
    say(`peers hold this node's own feed up to [${ev.seq}], beyond its log [${String(ev.front)}]: not appending (recover it first: "tinyssb log recover", or --force)`)
  })
  return { behindAt: () => behind, stop: off }
}
