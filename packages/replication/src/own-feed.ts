// The "own feed behind" signal (docs/extensions.md "Own feed behind"): a node watches the
// DMX of the next entry of each of its own feeds (unless a replica of the feed follows it already).
// An entry arriving there means peers hold an entry past the node's front: appending now would
// fork the feed. Front hints for an own feed past its front raise the same signal (FrontHints).
// The signal is an event, rate-limited per feed; the node never appends anything itself.
import { MAX_SEQ, PACKET_BYTES, equalBytes, nextDmxLatin1 } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import type { NodeEvents } from './events.js'
import { OWN_FEED_SIGNAL_MS } from './extension-options.js'
import { bkey } from './keys.js'
import type { FrameHandler, FrameRouter } from './router.js'

interface Armed {
  readonly key: string
  readonly seq: number
  readonly handler: FrameHandler
}

/** Watches the node's own feeds for signs that peers hold more of them. */
export class OwnFeedWatch {
  readonly #ctx: NodeContext
  readonly #router: FrameRouter
  /** The node's own feeds, by key (shared with the node: publish() adds to it). */
  readonly #own: ReadonlySet<string>
  readonly #armed = new Map<string, Armed>()
  readonly #signalled = new Map<string, { seq: number; at: number }>()

  constructor(ctx: NodeContext, router: FrameRouter, own: ReadonlySet<string>) {
    this.#ctx = ctx
    this.#router = router
    this.#own = own
    ctx.events.on('append', (ev) => {
      if (ev.source === 'local' && own.has(bkey(ev.fid))) this.#arm(ev.fid, ev.seq, ev.mid)
    })
  }

  /** Whether `fid` is one of the node's own feeds. */
  isOwn(fid: Uint8Array): boolean {
    return this.#own.has(bkey(fid))
  }

  /** Watches the next entry of an own feed, from the log's front. */
  async watch(fid: Uint8Array): Promise<void> {
    const info = await this.#ctx.logs.info(fid).catch(() => undefined)
    if (info) this.#arm(fid, info.frontSeq, info.frontMid)
  }

  /** Stops watching every feed. */
  stop(): void {
    for (const a of this.#armed.values()) if (this.#router.handlerOf(a.key) === a.handler) this.#router.off(a.key)
    this.#armed.clear()
  }

  /** Emits 'own-feed-behind', at most once per OWN_FEED_SIGNAL_MS per feed unless `seq` is larger. */
  signal(ev: NodeEvents['own-feed-behind']): void {
    const k = bkey(ev.fid)
    const now = this.#ctx.clock.now()
    const last = this.#signalled.get(k)
    if (last && ev.seq <= last.seq && now - last.at < OWN_FEED_SIGNAL_MS) return
    this.#signalled.set(k, { seq: Math.max(ev.seq, last?.seq ?? 0), at: now })
    this.#ctx.events.emit('own-feed-behind', ev)
  }

  #arm(fid: Uint8Array, front: number, mid: Uint8Array): void {
    const k = bkey(fid)
    const old = this.#armed.get(k)
    if (old) {
      if (old.seq === front + 1) return
      if (this.#router.handlerOf(old.key) === old.handler) this.#router.off(old.key)
      this.#armed.delete(k)
    }
    if (front >= MAX_SEQ) return
    const key = nextDmxLatin1(fid, front, mid)
    if (this.#router.handlerOf(key)) return // a replica follows the feed: not ours to watch
    const seq = front + 1
    const copy = fid.slice()
    const handler: FrameHandler = (frame, src) => this.#onEntry(copy, seq, frame, src)
    this.#router.on(key, handler)
    this.#armed.set(k, { key, seq, handler })
  }

  async #onEntry(fid: Uint8Array, seq: number, frame: Uint8Array, src: Source): Promise<void> {
    if (frame.length !== PACKET_BYTES) return this.#ctx.drop('PACKET_LENGTH', src.face, src.peer)
    const info = await this.#ctx.logs.info(fid)
    if (!info) return
    let fork = false
    if (info.frontSeq >= seq) {
      // the log moved on without publish(): our own entry coming back is no sign of anything
      const held = await this.#ctx.logs.get(fid, seq)
      if (held && equalBytes(held, frame)) return this.#arm(fid, info.frontSeq, info.frontMid)
      fork = true
    }
    this.signal({ fid, front: info.frontSeq, seq, source: 'entry', fork, face: src.face.name, peer: src.peer })
  }
}
