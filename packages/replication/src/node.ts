// The tinySSB node (docs/PROTOCOL.md "The WANT protocol"): the one entry point, wiring the parts and
// running their lifecycle. The frame router routes each frame by DMX before any signature work;
// the replicas ask ahead (the scheduler's policy) and append answers in batches; the WANT server
// answers the peers that ask.
import { isBundle, toHex } from '@tinyssb/packet'
import { receiveBundle } from './bundles.js'
import { createContext } from './context.js'
import type { NodeEvents } from './events.js'
import { createExtensions } from './extensions.js'
import { resolveFaces } from './faces.js'
import type { FeedLag } from './front-hints.js'
import { bkey } from './keys.js'
import { RETRY_MIN_MS, WANT_INTERVAL_MS, type NodeOptions } from './options.js'
import { PeerKinds } from './peer-kinds.js'
import { Replicas } from './replicas.js'
import { FrameRouter } from './router.js'
import type { NodeStats } from './stats.js'
import { WantQueue } from './want-queue.js'
import { WantServer } from './want-server.js'

export type { NodeEvents } from './events.js'
export type { FeedLag } from './front-hints.js'

/** A running node. */
export interface TinyNode {
  readonly stats: NodeStats
  /** Loads the logs, arms the tables, subscribes to the faces and sends the first WANTs. */
  start(): Promise<void>
  /** Stops timers and unsubscribes from the faces (it does not close them). Idempotent. */
  stop(): Promise<void>
  /**
   * Sends a new entry of an own feed once on all faces (after the app appended it to the store),
   * followed by its sidechain blobs if given; serves WANTs for that feed from now on.
   */
  publish(fid: Uint8Array, wire: Uint8Array, blobs?: readonly Uint8Array[]): Promise<void>
  /** Starts replicating (or, for own feeds, serving) a log created after start(). */
  track(fid: Uint8Array): Promise<void>
  /** The replica state of a feed: front seq, or undefined when not tracked. */
  front(fid: Uint8Array): number | undefined
  /**
   * How far behind a feed is: its front, the seq peers' front hints claim (unverified), entries per
   * second, and sidechains still incomplete; undefined for a feed the node knows nothing of.
   */
  lag(fid: Uint8Array): FeedLag | undefined
  on<K extends keyof NodeEvents>(name: K, fn: (ev: NodeEvents[K]) => void): () => void
  /** Resolves when every received frame so far has been processed (for tests and tools). */
  idle(): Promise<void>
  /**
   * What the node holds right now; each is bounded (MAX_INBOX, PARKING_SLOTS, MAX_EXPECTED_BLOBS,
   * MAX_PENDING_WANT_RECORDS per face). `replicas`: feeds followed (loaded or still waiting);
   * `wantRecords`: WANT records waiting for their frame and the faces' budgets.
   */
  queues(): { inbox: number; parked: number; expectedBlobs: number; replicas: number; wantRecords: number }
}

/**
 * Creates a node over the given store and faces.
 * @example
 * ```ts
 * const node = createNode({ logs, blobs, faces: [face], ownFeeds: [myFid] })
 * await node.start()
 * node.on('append', (e) => console.log('got', e.seq))
 * ```
 */
export function createNode(opts: NodeOptions): TinyNode {
  const ctx = createContext(opts)
  const faces = resolveFaces(opts)
  const own = new Set((opts.ownFeeds ?? []).map(bkey))
  const wantIntervalMs = opts.wantIntervalMs ?? WANT_INTERVAL_MS
  const retryMinMs = Math.min(opts.retryMinMs ?? RETRY_MIN_MS, wantIntervalMs)
  const router = new FrameRouter(ctx)
  // which peers are tinyssb-ts nodes (they send front hints): WANTs up to the MTU on faces with no other peers
  const peers = new PeerKinds(ctx.clock)
  const wants = new WantQueue(ctx, faces, undefined, peers)
  const replicas = new Replicas(ctx, router, faces, { retryMinMs, wantIntervalMs }, wants)
  // a pending front hint says a peer holds more: the replica keeps asking ahead (never less)
  ctx.events.on('progress', (ev) => replicas.hint(ev.fid, ev.target ?? 0))
  const server = new WantServer(ctx, router, faces, {}, peers) // each face's amplification bound is in its profile
  const ext = createExtensions(ctx, router, server, faces, opts, own, peers)
  const unsubscribe: Array<() => void> = []
  let running = false

  async function track(fid: Uint8Array): Promise<void> {
    const info = await ctx.logs.info(fid)
    if (!info) throw new TypeError(`no log for feed ${toHex(fid)} in the store`)
    server.serve(fid)
    if (own.has(bkey(fid)) || opts.replicateAll === false) return
    replicas.add(fid, info)
  }

  return {
    stats: ctx.stats,
    async start() {
      if (running) return
      // every log is served at once; replicas are loaded lazily (a node may hold thousands of logs)
      const held: Uint8Array[] = []
      for await (const fid of ctx.logs.feeds()) {
        held.push(fid)
        const k = bkey(fid) // one key per feed, shared by the server and the replicas
        server.serve(fid, k)
        if (!own.has(k) && opts.replicateAll !== false) replicas.follow(fid, k)
      }
      running = true
      router.running = true
      for (const { face } of faces) {
        unsubscribe.push(
          face.onFrame((frame, from) => {
            peers.heard(face, from)
            if (isBundle(frame)) receiveBundle(ctx, router, peers, frame, { face, peer: from })
            else router.receive(frame, face, from)
          }),
        )
      }
      await replicas.start()
      await ext.start(opts.ownFeeds ?? [], held)
    },
    async stop() {
      running = false
      router.running = false
      for (const u of unsubscribe.splice(0)) u()
      replicas.stop()
      ext.stop()
      await router.clear()
    },
    async publish(fid, wire, blobList = []) {
      own.add(bkey(fid))
      server.serve(fid)
      const info = await ctx.logs.info(fid)
      if (info) ctx.events.emit('append', { fid, seq: info.frontSeq, mid: info.frontMid, source: 'local', wire })
      for (const { face } of faces) {
        await ctx.send(face, wire)
        for (const b of blobList) await ctx.send(face, b)
      }
    },
    track,
    front: (fid) => replicas.front(fid),
    lag: (fid) => ext.lag(fid, replicas.front(fid)),
    // users see 'caught-up' once the feed's sidechains are complete too
    on: (name, fn) => (name === 'caught-up' ? ext.onCaughtUp(fn as (ev: NodeEvents['caught-up']) => void) : ctx.events.on(name, fn)),
    async idle() {
      // frames in the inbox, then the batches they formed, until both are quiet
      do {
        await router.idle()
        await replicas.idle()
      } while (router.queues().inbox > 0 || replicas.busy)
    },
    queues: () => ({ ...router.queues(), replicas: replicas.size, wantRecords: wants.pending() }),
  }
}
