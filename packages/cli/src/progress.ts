// Catch-up progress of replicas, from what the node knows: entries arrived, their rate, and — when
// a goal is known (a --until, a recovery's old front, later the engine's front hints) — what remains
// and an ETA. On a terminal a bar (cli-progress) per feed that is catching up; otherwise plain lines
// (at most one per feed per second), or with --json one progress event per line.
import cliProgress from 'cli-progress'

/** How progress is shown: a terminal bar, plain lines, JSON events, or not at all. */
export type ProgressMode = 'bar' | 'lines' | 'json' | 'off'

/** A bar needs stdout and stderr on a terminal (the bar is drawn on stderr, lines pass through it). */
export function progressMode(o: { json?: boolean | undefined; quiet?: boolean | undefined; tty: boolean; errTty?: boolean }): ProgressMode {
  if (o.json) return 'json'
  if (o.quiet) return 'off'
  return o.tty && (o.errTty ?? Boolean(process.stderr.isTTY)) ? 'bar' : 'lines'
}

/** A terminal-like stream for the bar (process.stderr, or a fake one in tests). */
export type BarStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number }

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  readonly mode: ProgressMode
  /** Where lines and JSON events go (stdout). */
  readonly out: (line: string) => void
  /** The bar's terminal. Default: process.stderr. */
  readonly stream?: BarStream
  /** Milliseconds now. Default: Date.now. */
  readonly now?: () => number
  /** Lines and JSON events: at most one per feed per this many ms (default 1000). */
  readonly everyMs?: number
}

/** What is known about one feed's catch-up right now. */
export interface FeedProgress {
  readonly feed: string
  readonly name: string
  readonly front: number
  /** Entries since this catch-up began. */
  readonly entries: number
  /** Entries per second over the last few seconds (0 until two samples). */
  readonly rate: number
  readonly target: number | undefined
  readonly remaining: number | undefined
  /** Seconds to the target at the current rate. */
  readonly etaSec: number | undefined
}

/** Progress of the feeds a node replicates. */
export interface Progress {
  /** Where a replica starts (before its first update; otherwise the first update counts one entry). */
  track(feed: string, name: string, front: number): void
  /** A replica's front moved to `front` (an entry arrived). */
  update(feed: string, name: string, front: number): void
  /** The front the replica should reach (a goal, a front hint). */
  target(feed: string, name: string, seq: number): void
  /** The replica has what its peers offered (or reached its target): a last line, the bar goes. */
  finish(feed: string): void
  /** What is known about a feed, or undefined. */
  get(feed: string): FeedProgress | undefined
  /** Entries since the feed's catch-up began (its `get(feed).entries`, without the rate), or undefined. */
  entries(feed: string): number | undefined
  /** Prints a line of output without breaking the bar. */
  print(line: string): void
  /** Removes every bar (before the command exits). */
  stop(): void
}

const RATE_WINDOW_MS = 5_000
/**
 * At most one rate sample per this many ms: a catch-up of thousands of entries a second keeps a
 * few dozen samples, and an update costs O(1) (the rate is computed only when shown).
 */
const SAMPLE_EVERY_MS = 100
/** A catch-up is shown once this many entries came in one run, or more than this remain. */
const SHOW_FROM = 2

interface State {
  name: string
  front: number
  startFront: number
  startAt: number
  samples: Array<[number, number]>
  target: number | undefined
  lastEmit: number
  shown: boolean
  bar: cliProgress.SingleBar | undefined
  /** The bar's text, computed when cli-progress redraws (on its own timer), not per update. */
  text: () => { text: string; bar: string }
}

const fmtRate = (r: number): string => (r >= 100 ? r.toFixed(0) : r.toFixed(1))
const fmtEta = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.ceil(s)} s`)

/** A plain line for a feed's progress: `nodeB [12] +10 entries, 5.2/s, 38 remaining, ETA 8 s`. */
export function progressLine(p: FeedProgress): string {
  const parts = [`${p.name} [${p.front}] +${p.entries} entr${p.entries === 1 ? 'y' : 'ies'}`]
  if (p.rate > 0) parts.push(`${fmtRate(p.rate)}/s`)
  if (p.remaining !== undefined) parts.push(`${p.remaining} remaining`)
  if (p.etaSec !== undefined) parts.push(`ETA ${fmtEta(p.etaSec)}`)
  return parts.join(', ')
}

/** One JSON event: `{"event":"progress",…}` or `{"event":"caught-up",…}`. */
export function progressEvent(event: 'progress' | 'caught-up', p: FeedProgress): string {
  const { feed, name, front, entries, rate, target, remaining, etaSec } = p
  return JSON.stringify({ event, feed, name, front, entries, rate: Number(rate.toFixed(2)), target: target ?? null, remaining: remaining ?? null, etaSec: etaSec === undefined ? null : Number(etaSec.toFixed(1)) })
}

/** Creates the progress display; see {@link ProgressMode}. */
export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? Date.now
  const everyMs = opts.everyMs ?? 1000
  const feeds = new Map<string, State>()
  let multi: cliProgress.MultiBar | undefined

  const snapshot = (feed: string, s: State): FeedProgress => {
    const t = now()
    const recent = s.samples.filter(([at]) => t - at <= RATE_WINDOW_MS)
    const first = recent[0] ?? [s.startAt, s.startFront]
    const dt = (t - first[0]) / 1000
    const rate = dt > 0 ? (s.front - first[1]) / dt : 0
    const remaining = s.target === undefined ? undefined : Math.max(0, s.target - s.front)
    const etaSec = remaining !== undefined && rate > 0 ? remaining / rate : remaining === 0 ? 0 : undefined
    return { feed, name: s.name, front: s.front, entries: s.front - s.startFront, rate, target: s.target, remaining, etaSec }
  }

  const bars = (): cliProgress.MultiBar =>
    (multi ??= new cliProgress.MultiBar({
      stream: opts.stream ?? process.stderr,
      clearOnComplete: true,
      hideCursor: false,
      gracefulExit: false,
      format: (_o, _params, payload: { render?: () => { text: string; bar: string } }) => {
        const t = payload.render?.()
        return t ? `${t.bar}${t.text}` : ''
      },
    }))

  const barText = (p: FeedProgress): { text: string; bar: string } => {
    if (p.target === undefined || p.target <= 0) return { bar: '', text: progressLine(p) }
    const width = 24
    const done = Math.min(width, Math.round((p.front / p.target) * width))
    return { bar: `[${'#'.repeat(done)}${'-'.repeat(width - done)}] `, text: progressLine(p) }
  }

  const show = (feed: string, s: State, force = false): void => {
    if (!s.shown) {
      const remaining = s.target === undefined ? 0 : s.target - s.front
      if (s.front - s.startFront < SHOW_FROM && remaining < SHOW_FROM) return
      s.shown = true
    }
    if (opts.mode === 'bar') {
      if (!s.bar) s.bar = bars().create(Math.max(1, s.target ?? 1), s.front, { render: s.text })
      else s.bar.update(s.front)
      return
    }
    if (!force && now() - s.lastEmit < everyMs) return
    s.lastEmit = now()
    const p = snapshot(feed, s)
    if (opts.mode === 'json') opts.out(progressEvent('progress', p))
    else if (opts.mode === 'lines') opts.out(`progress ${progressLine(p)}`)
  }

  const state = (feed: string, name: string, front: number): State => {
    let s = feeds.get(feed)
    if (!s) {
      const t = now()
      const created: State = { name, front, startFront: front, startAt: t, samples: [[t, front]], target: undefined, lastEmit: 0, shown: false, bar: undefined, text: () => barText(snapshot(feed, created)) }
      s = created
      feeds.set(feed, s)
    }
    return s
  }

  const api: Progress = {
    track(feed, name, front) {
      if (!feeds.has(feed)) state(feed, name, front)
    },
    update(feed, name, front) {
      if (opts.mode === 'off') return
      const s = state(feed, name, front - 1)
      s.front = Math.max(s.front, front)
      const t = now()
      const last = s.samples[s.samples.length - 1]!
      if (t - last[0] >= SAMPLE_EVERY_MS) s.samples.push([t, s.front]) // the rate runs to s.front, not to a sample
      while (s.samples.length > 2 && t - s.samples[0]![0] > RATE_WINDOW_MS) s.samples.shift()
      show(feed, s)
    },
    target(feed, name, seq) {
      if (opts.mode === 'off') return
      const s = feeds.get(feed)
      if (!s) return void (state(feed, name, 0).target = seq) // call track() first for a true start
      s.target = seq
      s.bar?.setTotal(Math.max(1, seq))
    },
    finish(feed) {
      const s = feeds.get(feed)
      if (!s) return
      feeds.delete(feed)
      if (!s.shown || opts.mode === 'off') return
      const p = snapshot(feed, s)
      if (s.bar) {
        if ([...feeds.values()].some((o) => o.bar)) multi?.remove(s.bar)
        else api.stop() // the last bar: stop the redraw timer too
      }
      const secs = ((now() - s.startAt) / 1000).toFixed(1)
      if (opts.mode === 'json') opts.out(progressEvent('caught-up', p))
      else api.print(`caught up: ${p.name} at [${p.front}] (+${p.entries} entries in ${secs} s)`)
    },
    get: (feed) => {
      const s = feeds.get(feed)
      return s ? snapshot(feed, s) : undefined
    },
    entries: (feed) => {
      const s = feeds.get(feed)
      return s && s.front - s.startFront
    },
    print(line) {
      if (multi && [...feeds.values()].some((s) => s.bar)) multi.log(`${line}\n`)
      else opts.out(line)
    },
    stop() {
      multi?.stop()
      multi = undefined
      for (const s of feeds.values()) s.bar = undefined
    },
  }
  return api
}
