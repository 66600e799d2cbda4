// Serving blob requests (docs/extensions.md "Serving blob requests"): the fixed blob request DMX is armed in
// the router; a request is decoded with the codec's caps (5 records, 16 blobs per record and per
// frame) and answered with the plain 120-byte blobs of each chain, to the peer that asked, through
// the WANT server's per-face state: the face's fair serve budget, the per-peer de-duplication and
// the per-peer amplification ledger (a blob request counts as a request: it earns credit by its
// bytes, every blob sent spends 120). What the credit does not cover waits for the peer's next
// request. Requests are answered, never forwarded.
import { blobRequestDmx, decodeBlobRequest } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import { bkey } from './keys.js'
import type { FrameRouter } from './router.js'
import type { WantServer } from './want-server.js'

/** The key of the blob request DMX in the router. */
export const BLOB_REQUEST_KEY = bkey(blobRequestDmx())

/** Answers blob requests from the node's blob store. */
export class BlobRequestServer {
  readonly #ctx: NodeContext
  readonly #server: WantServer

  constructor(ctx: NodeContext, router: FrameRouter, server: WantServer) {
    this.#ctx = ctx
    this.#server = server
    router.on(BLOB_REQUEST_KEY, (frame, src) => this.#onRequest(frame, src))
  }

  async #onRequest(frame: Uint8Array, src: Source): Promise<void> {
    const { face, peer } = src
    let req
    try {
      req = decodeBlobRequest(frame)
    } catch (err) {
      return this.#ctx.drop(dropReasonOf(err), face, peer)
    }
    if (!this.#server.earn(src, frame.length)) return // not one of the node's faces
    this.#ctx.stats.blobRequests++
    // each record is a run of at most its granted credit (all records together: at most 16 blobs)
    await this.#server.serveBlobRuns(
      src,
      req.records.map((r) => ({ ptr: r.ptr, left: r.credit })),
    )
  }
}
