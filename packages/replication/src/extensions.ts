// The extensions of a node (docs/extensions.md "The engine (tinyssb-ts nodes)"), wired in one place so the node's lifecycle needs
// only a few calls: blob requests served (BlobRequestServer) and asked for (BlobRequester, with the
// start-up ChainScanner), front hints sent (HintSender) and read (FrontHints), and the own-feed
// watch (OwnFeedWatch).
import { BlobRequestServer } from './blob-server.js'
import { BlobRequester } from './blob-requests.js'
import { ChainScanner } from './blob-scan.js'
import type { NodeContext } from './context.js'
import type { NodeEvents } from './events.js'
import type { FaceProfile } from './faces.js'
import { FrontHints, type FeedLag } from './front-hints.js'
import { HintSender } from './hint-sender.js'
import type { NodeOptions } from './options.js'
import { OwnFeedWatch } from './own-feed.js'
import type { PeerKinds } from './peer-kinds.js'
import type { FrameRouter } from './router.js'
import type { WantServer } from './want-server.js'

/** What the node calls of its extensions. */
export interface Extensions {
  /** After the node started: watches the own feeds, starts asking for missing blobs and scanning the logs `held`. */
  start(ownFeeds: readonly Uint8Array[], held?: readonly Uint8Array[]): Promise<void>
  stop(): void
  lag(fid: Uint8Array, front: number | undefined): FeedLag | undefined
  /** 'caught-up' as the node's users see it (after the feed's sidechains are complete). */
  onCaughtUp(fn: (ev: NodeEvents['caught-up']) => void): () => void
  /** Incomplete sidechains tracked or waiting, and logs not scanned yet. */
  queues(): { chains: number; scanning: number }
}

export function createExtensions(
  ctx: NodeContext,
  router: FrameRouter,
  server: WantServer,
  faces: readonly FaceProfile[],
  opts: NodeOptions,
  own: ReadonlySet<string>,
  peers?: PeerKinds,
): Extensions {
  new BlobRequestServer(ctx, router, server)
  if (opts.frontHints !== false) new HintSender(ctx, server, faces)
  const watch = new OwnFeedWatch(ctx, router, own)
  const hints = new FrontHints(ctx, router, watch, peers)
  const asking = opts.blobRequests !== false && ctx.blobs !== undefined
  const ro = typeof opts.blobRequests === 'object' ? opts.blobRequests : {}
  const requester = asking ? new BlobRequester(ctx, router, faces, ro) : undefined
  const scanner = requester && ro.scan !== false ? new ChainScanner(ctx, requester) : undefined
  return {
    async start(ownFeeds, held) {
      hints.running = true
      for (const fid of ownFeeds) {
        await watch.watch(fid)
        const info = await ctx.logs.info(fid).catch(() => undefined)
        if (info) hints.know(fid, info.frontSeq)
      }
      requester?.start()
      void scanner?.start(held).catch(() => undefined)
    },
    stop() {
      scanner?.stop()
      requester?.stop()
      watch.stop()
      hints.stop()
    },
    lag: (fid, front) => hints.lag(fid, front, requester?.incomplete(fid) ?? 0),
    onCaughtUp: (fn) => (requester ? requester.onCaughtUp(fn) : ctx.events.on('caught-up', fn)),
    queues: () => ({ chains: requester?.size ?? 0, scanning: scanner?.pending ?? 0 }),
  }
}
