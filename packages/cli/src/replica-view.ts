// What a running node shows about the feeds it replicates: catch-up progress (a bar, lines or JSON
// events, see progress.ts), a line for a single entry at the live edge (at most one per second),
// and a line when a replica has what its peers offered.
import { toHex } from '@tinyssb/packet'
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

/** Shows the progress of every replica of `node` (remote appends only; own feeds are not replicas). */
export function attachProgress(node: TinyNode, o: ReplicaViewOptions): () => void {
  let lastLine = 0
  const offAppend = node.on('append', (e) => {
    if (e.source !== 'remote') return
    const key = toHex(e.fid)
    o.progress.update(key, o.names(e.fid), e.seq)
    // a single entry (the live edge) gets a line of its own; a burst is the progress display's
    if (o.quiet || (o.progress.get(key)?.entries ?? 1) > 1) return
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
    offAppend()
    offCaught()
  }
}
