// Pacing for any face (PROTOCOL.md "Faces", pacing): after each send a face waits before the next,
// LoRa 1 s and KISS 0.5 s, plus up to 50 ms of random jitter so that nodes that heard the same
// frame do not all answer in the same instant. Real LoRa also has regional duty-cycle limits
// (1 % or 10 % of airtime), which the sending software must respect: the optional airtime budget.
import { systemClock, systemRandom, type Clock, type Face } from '@tinyssb/core'
import { FaceError } from './errors.js'

/** Gap between frames. */
export interface PacingOptions {
  /** Least time from the end of one send to the start of the next, in ms. */
  readonly minGapMs: number
  /** Up to this many ms of random extra gap per frame. Default 0. */
  readonly jitterMs?: number | undefined
}

/** The original's KISS pacing: 0.5 s + up to 50 ms. */
export const KISS_PACING: PacingOptions = Object.freeze({ minGapMs: 500, jitterMs: 50 })
/** The original's LoRa pacing: 1 s + up to 50 ms. */
export const LORA_PACING: PacingOptions = Object.freeze({ minGapMs: 1000, jitterMs: 50 })

/** Default bound of the send queue. */
export const PACED_QUEUE_MAX = 64
/** Default duty-cycle window: one hour, as in the ETSI EN 300 220 rules. */
export const AIRTIME_WINDOW_MS = 3_600_000

/** A duty-cycle limit: the airtime spent within any window of `windowMs` stays ≤ budget · windowMs. */
export interface AirtimeBudget {
  /** Fraction of the time the radio may transmit, e.g. 0.01 for 1 %. */
  readonly budget: number
  /** Sliding window in ms. Default one hour. */
  readonly windowMs?: number | undefined
  /** Airtime of one frame in ms, e.g. `(n) => loraAirtimeMs(n)`. */
  readonly estimateMs: (frameBytes: number) => number
}

/** Options of {@link pacedFace}. */
export interface PacedFaceOptions extends PacingOptions {
  /** Hold frames back to respect a duty cycle. Default: no budget. */
  readonly airtime?: AirtimeBudget | undefined
  /** Most frames waiting; beyond it the least useful frame is dropped. Default 64. */
  readonly queueMax?: number | undefined
  /** Time source. Default: performance.now() and the host's timers. */
  readonly clock?: Clock | undefined
  /** Uniform in [0, 1), for the jitter. Default Math.random. */
  readonly random?: (() => number) | undefined
  /** Usefulness of a frame when the queue is full; lower is dropped first. Default {@link defaultPriority}. */
  readonly priority?: ((frame: Uint8Array) => number) | undefined
  /** Told about each failed send of the inner face (also counted as SEND_FAILED). */
  readonly onError?: ((err: unknown) => void) | undefined
}

/** Why a paced face dropped a frame. Keys of `stats.dropped`. */
export type PacedDropReason =
  | 'DUPLICATE' // the same bytes are already waiting in the queue
  | 'QUEUE_FULL' // evicted (or refused) to keep the queue bounded
  | 'AIRTIME' // a single frame needs more airtime than the whole budget: it can never go out
  | 'SEND_FAILED' // the inner face's send() rejected
  | 'CLOSED' // still queued when the face was closed

/** Counters of a paced face. */
export interface PacedFaceStats {
  /** Frames the inner face accepted. */
  sent: number
  /** Frames accepted into the queue (not counting duplicates and refused frames). */
  queued: number
  /** Airtime estimated for all frames handed to the inner face, in ms (0 without a budget). */
  airtimeMs: number
  /** Drops by reason. */
  readonly dropped: Record<PacedDropReason, number>
}

/** A face with pacing: a {@link Face} plus counters. */
export interface PacedFace extends Face {
  readonly stats: PacedFaceStats
  /** Frames waiting now. */
  readonly queueLength: number
}

/**
 * The default usefulness of a frame: 120-byte frames (log entries and blobs) rank 1, all other
 * lengths (WANT requests and other control frames) rank 0. Why: a WANT is repeated by the
 * replication engine on its next round and a newer one supersedes it, while an entry or blob
 * answers a request that already cost a round trip and carries data nobody else may have.
 * @param frame - a frame waiting to be sent.
 * @returns 1 for 120 bytes, else 0.
 */
export function defaultPriority(frame: Uint8Array): number {
  return frame.length === 120 ? 1 : 0
}


interface Queued {
  readonly frame: Uint8Array
  readonly key: string
  readonly priority: number
}

// Float sums of airtime may be off by an ulp; never hold a frame for that.
const EPSILON_MS = 1e-6

function frameKey(frame: Uint8Array): string {
  let s = ''
  for (const b of frame) s += String.fromCharCode(b)
  return s
}

function checkNumber(value: number, what: string, min: number): void {
  if (typeof value !== 'number' || !(value >= min) || !Number.isFinite(value)) {
    throw new TypeError(`"${what}" expected a finite number ≥ ${min}, got ${String(value)}`)
  }
}

/**
 * Wraps any face so that frames go out one by one with a gap between them, optionally within a
 * duty-cycle budget. send() only enqueues and resolves at once (best effort); the frames then go
 * out in order. It rejects only frames it will not send: over the mtu (FACE_MTU), empty
 * (FACE_EMPTY), or after close (FACE_CLOSED). A frame identical to one already queued is dropped (DUPLICATE). When the queue is
 * full the lowest-priority frame goes first, the oldest among equals; a new frame that ranks below
 * everything queued is refused (both QUEUE_FULL). Closing drops what is still queued (CLOSED).
 * @param inner - the face that really sends.
 * @param options - gap, jitter, airtime budget, queue bound, clock, randomness, priority.
 * @returns a face with the inner face's name and mtu, and `stats`.
 * @throws TypeError for bad options.
 * @example
 * ```ts
 * const face = pacedFace(inner, {
 *   ...LORA_PACING,
 *   airtime: { budget: 0.01, estimateMs: (n) => loraAirtimeMs(n) },
 * })
 * await face.send(frame) // queued; goes out when the gap and the budget allow
 * ```
 */
export function pacedFace(inner: Face, options: PacedFaceOptions): PacedFace {
  const { minGapMs, jitterMs = 0, airtime, queueMax = PACED_QUEUE_MAX } = options
  checkNumber(minGapMs, 'minGapMs', 0)
  checkNumber(jitterMs, 'jitterMs', 0)
  if (!Number.isInteger(queueMax) || queueMax < 1) {
    throw new TypeError(`"queueMax" expected a positive integer, got ${String(queueMax)}`)
  }
  const windowMs = airtime?.windowMs ?? AIRTIME_WINDOW_MS
  if (airtime) {
    checkNumber(airtime.budget, 'airtime.budget', 0)
    if (airtime.budget > 1) throw new TypeError(`"airtime.budget" expected a fraction ≤ 1, got ${airtime.budget}`)
    checkNumber(windowMs, 'airtime.windowMs', 1)
  }
  const capMs = airtime ? airtime.budget * windowMs : Infinity
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const priority = options.priority ?? defaultPriority
  const onError = options.onError

  const stats: PacedFaceStats = {
    sent: 0,
    queued: 0,
    airtimeMs: 0,
    dropped: { DUPLICATE: 0, QUEUE_FULL: 0, AIRTIME: 0, SEND_FAILED: 0, CLOSED: 0 },
  }
  let queue: Queued[] = []
  const waiting = new Set<string>() // keys of the queued frames (no two are equal)
  const history: { t: number; ms: number }[] = [] // sends within the airtime window, oldest first
  let nextAt = -Infinity
  let busy = false
  let timer: unknown
  let closed = false
  let closing: Promise<void> | undefined

  function forget(q: Queued): void {
    waiting.delete(q.key)
  }

  /** How long the head must wait so that the window's airtime stays within the budget. */
  function airtimeWait(now: number, ms: number): number {
    while (history.length > 0 && (history[0] as { t: number }).t + windowMs <= now) history.shift()
    let used = 0
    for (const h of history) used += h.ms
    if (used + ms <= capMs + EPSILON_MS) return 0
    for (const h of history) {
      used -= h.ms
      if (used + ms <= capMs + EPSILON_MS) return h.t + windowMs - now
    }
    return 0 // unreachable: ms ≤ capMs was checked before
  }

  function schedule(ms: number): void {
    timer = clock.setTimeout(() => {
      timer = undefined
      pump()
    }, ms)
  }

  function pump(): void {
    for (;;) {
      if (closed || busy || timer !== undefined) return
      const head = queue[0]
      if (head === undefined) return
      const now = clock.now()
      let wait = nextAt - now
      let est = 0
      if (airtime) {
        est = airtime.estimateMs(head.frame.length)
        if (!(est <= capMs)) {
          // This frame alone exceeds the whole budget: holding it would block the queue forever.
          queue.shift()
          forget(head)
          stats.dropped.AIRTIME++
          continue
        }
        wait = Math.max(wait, airtimeWait(now, est))
      }
      if (wait > 0) return schedule(wait)
      queue.shift()
      forget(head)
      if (airtime) {
        history.push({ t: now, ms: est })
        stats.airtimeMs += est
      }
      busy = true
      let p: Promise<void>
      try {
        p = inner.send(head.frame)
      } catch (err) {
        p = Promise.reject(err)
      }
      p.then(
        () => {
          stats.sent++
        },
        (err: unknown) => {
          stats.dropped.SEND_FAILED++
          onError?.(err)
        },
      ).finally(() => {
        busy = false
        nextAt = clock.now() + minGapMs + random() * jitterMs
        pump()
      })
      return
    }
  }

  function enqueue(frame: Uint8Array): void {
    const key = frameKey(frame)
    if (waiting.has(key)) {
      stats.dropped.DUPLICATE++
      return
    }
    const item: Queued = { frame: frame.slice(), key, priority: priority(frame) }
    if (queue.length >= queueMax) {
      // Lowest priority first; among equals the oldest (queue order is age order).
      let victim = 0
      for (let i = 1; i < queue.length; i++) {
        if ((queue[i] as Queued).priority < (queue[victim] as Queued).priority) victim = i
      }
      const v = queue[victim] as Queued
      stats.dropped.QUEUE_FULL++
      if (item.priority < v.priority) return // the new frame is the least useful: refuse it
      queue.splice(victim, 1)
      forget(v)
    }
    queue.push(item)
    waiting.add(key)
    stats.queued++
  }

  return {
    name: inner.name,
    mtu: inner.mtu,
    stats,
    get queueLength() {
      return queue.length
    },
    async send(frame: Uint8Array): Promise<void> {
      if (closed) throw new FaceError('FACE_CLOSED', `face "${inner.name}" is closed`)
      if (frame.length > inner.mtu) {
        throw new FaceError('FACE_MTU', `frame for "${inner.name}" expected ≤ ${inner.mtu} bytes, got ${frame.length}`)
      }
      if (frame.length === 0) throw new FaceError('FACE_EMPTY', `frame for "${inner.name}" expected ≥ 1 byte, got 0`)
      enqueue(frame)
      pump()
    },
    onFrame(handler) {
      return inner.onFrame(handler)
    },
    close(): Promise<void> {
      if (closing) return closing
      closed = true
      if (timer !== undefined) clock.clearTimeout(timer)
      timer = undefined
      stats.dropped.CLOSED += queue.length
      queue = []
      waiting.clear()
      closing = inner.close()
      return closing
    },
  }
}
