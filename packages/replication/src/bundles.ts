// Receiving entry bundles (docs/extensions.md "Entry bundle"): each entry of a bundle goes into the
// inbox as if it had arrived alone, from the same face and peer, so that the entries of a bundle
// and of the frames around it form one batch (the router parks early ones first). The bundle is
// counted once as received; a malformed one is a counted drop (BUNDLE_LENGTH). Sending is the
// WANT server's (want-server.ts), asking the WANT queue's (want-queue.ts).
import { decodeBundle } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import type { PeerKinds } from './peer-kinds.js'
import type { FrameRouter } from './router.js'

/** Takes a frame that carries the bundle DMX: its entries go to the router one by one. */
export function receiveBundle(ctx: NodeContext, router: FrameRouter, peers: PeerKinds, frame: Uint8Array, src: Source): void {
  ctx.received(src.face, frame)
  if (!router.running) return
  let wires: Uint8Array[]
  try {
    wires = decodeBundle(frame)
  } catch (err) {
    return ctx.drop(dropReasonOf(err), src.face, src.peer)
  }
  ctx.stats.bundlesReceived++
  peers.tinyssb(src.face, src.peer) // only tinyssb-ts nodes send bundles
  for (const wire of wires) router.receive(wire, src.face, src.peer, false)
}
