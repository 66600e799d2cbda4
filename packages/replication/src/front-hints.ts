// Receiving front hints, and per-feed progress
// (docs/extensions.md "Receiving front hints, lag and progress"). A hint is unsigned: it is kept
// (one per peer, HINT_PEERS_PER_FEED peers per feed, for HINT_TTL_MS) only to tell how far behind a
// replica is, and settled with checkFrontHint when the entry it names is appended: confirmed, or
// contradicted (dropped, counted, and that peer's hints for the feed ignored for HINT_BAN_MS). It
// never arms a DMX, skips a check or stops a request. From the appends and the hints come the
// `progress` events and `lag(fid)`; hints for an own feed past its front raise 'own-feed-behind'.
import type { TimerHandle } from '@tinyssb/core'
import { checkFrontHint, decodeFrontHint, equalBytes, frontHintDmx } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import type { NodeEvents } from './events.js'
import {
  HINT_BAN_MS,
  HINT_PEERS_PER_FEED,
  HINT_TTL_MS,
  MAX_PROGRESS_FEEDS,
  PROGRESS_INTERVAL_MS,
  PROGRESS_RATE_WINDOW_MS,
} from './extension-options.js'
import { bkey } from './keys.js'
import { LruMap } from './lru.js'
import type { OwnFeedWatch } from './own-feed.js'
import type { PeerKinds } from './peer-kinds.js'
import type { FrameRouter } from './router.js'

/** The key of the front hint DMX in the router. */
export const FRONT_HINT_KEY = bkey(frontHintDmx())

/** How far behind a feed is ({@link TinyNode.lag}). */
export interface FeedLag {
  /** Seq of the last entry held. */
  readonly front: number
  /** The largest seq a pending front hint claims (unverified: for progress only), when one is known. */
  readonly hinted: number | undefined
  /** hinted − front when a hint is pending, else 0 (not known to be behind). */
  readonly behind: number
  /** Entries appended per second over the last few seconds. */
  readonly rate: number
  /** Sidechains of the feed's entries with blobs still missing (or not checked yet). */
  readonly incompleteChains: number
}

interface Hint {
  readonly seq: number
  readonly mid: Uint8Array
  readonly at: number
  readonly src: Source
  readonly peer: string
}

interface FeedState {
  readonly fid: Uint8Array
  front: number
  hints: Hint[]
  banned: Map<string, number> | undefined
  /** (time, front) samples, one per PROGRESS_INTERVAL_MS at most, over the rate window. */
  samples: Array<{ t: number; front: number }>
  lastProgressAt: number
  /** The largest target announced in a progress event, until the front reaches it. */
  goal: number | undefined
}

/** Hints received, and the progress of each feed. */
export class FrontHints {
  readonly #ctx: NodeContext
  readonly #own: OwnFeedWatch
  readonly #peers: PeerKinds | undefined
  readonly #feeds = new LruMap<string, FeedState>(MAX_PROGRESS_FEEDS)
  /** The fid of the last append event (a copy) and its key. */
  #lastAppend: { fid: Uint8Array; key: string } | undefined
  /** Feeds with pending hints; when their hints expire, a progress event says so (target gone). */
  readonly #pending = new Set<FeedState>()
  #timer: TimerHandle | undefined
  #timerAt = Number.POSITIVE_INFINITY
  /** Feeds whose last progress was held back by the interval: announced when it is over. */
  readonly #dirty = new Set<FeedState>()
  #flush: TimerHandle | undefined
  running = true

  /** `peers` learns that a peer sending a well-formed front hint is a tinyssb-ts node. */
  constructor(ctx: NodeContext, router: FrameRouter, own: OwnFeedWatch, peers?: PeerKinds) {
    this.#ctx = ctx
    this.#peers = peers
    this.#own = own
    router.on(FRONT_HINT_KEY, (frame, src) => this.#onHint(frame, src))
    ctx.events.on('append', (ev) => this.#onAppend(ev))
  }

  /** The lag of a feed whose front is `front` (the replica's), or of one seen in appends or hints. */
  lag(fid: Uint8Array, front: number | undefined, incompleteChains: number): FeedLag | undefined {
    const st = this.#feeds.get(bkey(fid))
    const f = front ?? st?.front
    if (f === undefined) return undefined
    const now = this.#ctx.clock.now()
    const hinted = st ? this.#target(st, now) : undefined
    const behind = hinted === undefined ? 0 : Math.max(0, hinted - f)
    return { front: f, hinted, behind, rate: st ? rate(st, f, now) : 0, incompleteChains }
  }

  /** Cancels the expiry timer. */
  stop(): void {
    this.running = false
    if (this.#timer !== undefined) this.#ctx.clock.clearTimeout(this.#timer)
    if (this.#flush !== undefined) this.#ctx.clock.clearTimeout(this.#flush)
    this.#timer = this.#flush = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
    this.#dirty.clear()
  }

  /** Starts keeping the progress of a feed whose log is at `front` (own feeds, at start). */
  know(fid: Uint8Array, front: number): void {
    const st = this.#state(fid, front, this.#ctx.clock.now())
    st.front = Math.max(st.front, front)
  }

  async #onHint(frame: Uint8Array, src: Source): Promise<void> {
    let hints
    try {
      hints = decodeFrontHint(frame)
    } catch (err) {
      return this.#ctx.drop(dropReasonOf(err), src.face, src.peer)
    }
    this.#ctx.stats.hintsReceived++
    this.#peers?.tinyssb(src.face, src.peer)
    const peer = `${src.face.name}\n${src.peer}`
    for (const h of hints) {
      const info = await this.#ctx.logs.info(h.fid).catch(() => undefined)
      if (!info) continue // a feed this node does not hold
      const now = this.#ctx.clock.now()
      const st = this.#state(h.fid, info.frontSeq, now)
      st.front = info.frontSeq
      if ((st.banned?.get(peer) ?? Number.NEGATIVE_INFINITY) > now) continue
      const s = checkFrontHint(h, info)
      if (s.state === 'contradicted') this.#contradicted(st, peer, src, now)
      if (s.state === 'confirmed') this.#ctx.stats.hintsConfirmed++
      if (s.state !== 'ahead') continue
      st.hints = st.hints.filter((x) => x.peer !== peer && now - x.at < HINT_TTL_MS)
      if (st.hints.length >= HINT_PEERS_PER_FEED) st.hints.shift() // the oldest
      st.hints.push({ seq: h.seq, mid: h.mid, at: now, src, peer })
      this.#expireLater(st, now + HINT_TTL_MS)
      if (this.#own.isOwn(h.fid)) {
        this.#own.signal({ fid: st.fid, front: st.front, seq: h.seq, source: 'hint', fork: false, face: src.face.name, peer: src.peer })
      } else {
        this.#progress(st, now, st.goal === undefined || h.seq > st.goal)
      }
    }
  }

  #onAppend(ev: NodeEvents['append']): void {
    const now = this.#ctx.clock.now()
    // a catch-up appends one feed's entries in a row: its key is made once per run
    const last = this.#lastAppend
    const k = last !== undefined && equalBytes(last.fid, ev.fid) ? last.key : bkey(ev.fid)
    if (k !== last?.key) this.#lastAppend = { fid: ev.fid.slice(), key: k }
    const st = this.#feeds.get(k) ?? (ev.source === 'remote' ? this.#state(ev.fid, ev.seq - 1, now) : undefined)
    if (!st) return
    st.front = Math.max(st.front, ev.seq)
    if (st.hints.length > 0) this.#settle(st, ev.seq, ev.mid, now)
    if (ev.source === 'remote') this.#progress(st, now, false)
  }

  /** Entry `seq` with `mid` was appended: the hints naming it are settled. */
  #settle(st: FeedState, seq: number, mid: Uint8Array, now: number): void {
    const pending = (h: Hint): boolean => h.seq > seq && now - h.at < HINT_TTL_MS
    // usually every hint is: they name the front of a catch-up still ahead
    if (st.hints.every(pending)) return
    const keep: Hint[] = []
    for (const h of st.hints) {
      if (pending(h)) keep.push(h)
      else if (h.seq === seq) {
        if (equalBytes(h.mid, mid)) this.#ctx.stats.hintsConfirmed++
        else this.#contradicted(st, h.peer, h.src, now)
      }
    }
    st.hints = keep
  }

  #contradicted(st: FeedState, peer: string, src: Source, now: number): void {
    this.#ctx.stats.hintsContradicted++
    this.#ctx.drop('HINT_CONTRADICTED', src.face, src.peer)
    st.hints = st.hints.filter((x) => x.peer !== peer)
    st.banned ??= new Map()
    st.banned.delete(peer)
    st.banned.set(peer, now + HINT_BAN_MS)
    if (st.banned.size > 2 * HINT_PEERS_PER_FEED) st.banned.delete(st.banned.keys().next().value!)
  }

  #state(fid: Uint8Array, front: number, now: number): FeedState {
    return this.#feeds.getOrCreate(bkey(fid), () => ({
      fid: fid.slice(),
      front,
      hints: [],
      banned: undefined,
      samples: [{ t: now, front }],
      lastProgressAt: Number.NEGATIVE_INFINITY,
      goal: undefined,
    }))
  }

  /** Announces the feed's progress when its interval is over (the last state is never left unsaid). */
  #later(st: FeedState): void {
    this.#dirty.add(st)
    if (this.#flush !== undefined || !this.running) return
    const clock = this.#ctx.clock
    this.#flush = clock.setTimeout(() => {
      this.#flush = undefined
      const now = clock.now()
      for (const d of [...this.#dirty]) this.#progress(d, now, now - d.lastProgressAt >= PROGRESS_INTERVAL_MS)
    }, PROGRESS_INTERVAL_MS)
  }

  /** Arms the expiry timer for `at` (one timer for every feed with pending hints). */
  #expireLater(st: FeedState, at: number): void {
    this.#pending.add(st)
    if (!this.running || at >= this.#timerAt) return
    const clock = this.#ctx.clock
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer)
    this.#timerAt = at
    // at least 1 ms and whole ms: on a fractional clock a timer may fire a rounding error before
    // `at`, and a hint that then survives must not re-arm a timer that does not move time
    this.#timer = clock.setTimeout(() => this.#expire(), Math.max(1, Math.ceil(at - clock.now())))
  }

  /** Hints past their TTL are forgotten; a feed whose target changed gets a progress event. */
  #expire(): void {
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
    const now = this.#ctx.clock.now()
    for (const st of [...this.#pending]) {
      this.#pending.delete(st)
      const before = this.#target(st, Number.NEGATIVE_INFINITY)
      st.hints = st.hints.filter((h) => now - h.at < HINT_TTL_MS)
      if (this.#target(st, now) !== before && !this.#own.isOwn(st.fid)) {
        st.goal = undefined
        this.#progress(st, now, true)
      }
      const next = st.hints.reduce((m, h) => Math.min(m, h.at + HINT_TTL_MS), Number.POSITIVE_INFINITY)
      if (next !== Number.POSITIVE_INFINITY) this.#expireLater(st, next)
    }
  }

  /** The largest seq an unexpired hint claims beyond the front. */
  #target(st: FeedState, now: number): number | undefined {
    let t: number | undefined
    for (const h of st.hints) if (h.seq > st.front && now - h.at < HINT_TTL_MS && (t === undefined || h.seq > t)) t = h.seq
    return t
  }

  #progress(st: FeedState, now: number, force: boolean): void {
    const target = this.#target(st, now)
    if (target !== undefined) st.goal = Math.max(st.goal ?? 0, target)
    const reached = st.goal !== undefined && st.front >= st.goal
    if (!force && !reached && now - st.lastProgressAt < PROGRESS_INTERVAL_MS) return this.#later(st)
    this.#dirty.delete(st)
    const last = st.samples[st.samples.length - 1]
    if (!last || now - last.t >= PROGRESS_INTERVAL_MS) st.samples.push({ t: now, front: st.front })
    while (st.samples.length > 2 && now - st.samples[1]!.t > PROGRESS_RATE_WINDOW_MS) st.samples.shift()
    st.lastProgressAt = now
    const shown = target ?? (reached ? st.goal : undefined)
    if (reached) st.goal = undefined
    this.#ctx.events.emit('progress', {
      fid: st.fid,
      front: st.front,
      target: shown,
      behind: shown === undefined ? 0 : Math.max(0, shown - st.front),
      rate: rate(st, st.front, now),
    })
  }
}

/** Entries per second: from the oldest sample within the window (or the newest before it) to now. */
function rate(st: FeedState, front: number, now: number): number {
  let s = st.samples[0]
  for (const x of st.samples) {
    s = x
    if (now - x.t <= PROGRESS_RATE_WINDOW_MS) break
  }
  if (!s || now <= s.t) return 0
  return Math.max(0, ((front - s.front) * 1000) / (now - s.t))
}
