// Pacing for any face (docs/PROTOCOL.md "Faces", pacing): after each send a face waits before the next,
// LoRa 1 s and KISS 0.5 s, plus up to 50 ms of random jitter so that nodes that heard the same
// frame do not all answer in the same instant. Real LoRa also has regional duty-cycle limits
// (1 % or 10 % of airtime), which the sending software must respect: the optional airtime budget.
// Time and randomness come only from the Clock and Random handed in, so a simulator can pace its
// faces under virtual time.
import { checkFrame, countDrop, errorCode, FaceError, systemClock, systemRandom, type Clock, type Face, type PeerId, type Random } from '@tinyssb/core'
import { airtimeWindow, checkNumber, type AirtimeBudget } from './airtime.js'

/** Gap between frames. */
export interface PacingOptions {
  /**
   * Least time from the start of one send to the start of the next, in ms; the next send also
   * waits until the previous one has settled.
   */
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

/** Options of {@link pacedFace}. */
export interface PacedFaceOptions extends PacingOptions {
  /** Hold frames back to respect a duty cycle. Default: no budget. */
  readonly airtime?: AirtimeBudget | undefined
  /** Most frames waiting; beyond it the least useful frame is dropped. Default 64. */
  readonly queueMax?: number | undefined
  /** Time source. Default `systemClock` of @tinyssb/core. */
  readonly clock?: Clock | undefined
  /** Uniform in [0, 1), for the jitter. Default `systemRandom` of @tinyssb/core. */
  readonly random?: Random | undefined
  /** Usefulness of a frame when the queue is full; lower is dropped first. Default {@link defaultPriority}. */
  readonly priority?: ((frame: Uint8Array) => number) | undefined
  /** Told about each failed send of the inner face (also counted, as SEND_FAILED or FACE_PEER). */
  readonly onError?: ((err: unknown) => void) | undefined
}

/** Why a paced face dropped a frame. Keys of `stats.dropped`. */
export type PacedDropReason =
  | 'DUPLICATE' // the same bytes (for the same peer) are already waiting in the queue
  | 'QUEUE_FULL' // evicted (or refused) to keep the queue bounded
  | 'AIRTIME' // a single frame needs more airtime than the whole budget: it can never go out
  | 'SEND_FAILED' // the inner face's send() rejected
  | 'FACE_PEER' // the inner face's send() rejected the peer (FaceError FACE_PEER): unknown or gone
  | 'CLOSED' // still queued when the face was closed

/** Counters of a paced face. */
export interface PacedFaceStats {
  /** Frames the inner face accepted. */
  sent: number
  /** Frames accepted into the queue (not counting duplicates and refused frames). */
  queued: number
  /** Airtime estimated for all frames handed to the inner face, in ms (0 without a budget). */
  airtimeMs: number
  /** Drops by reason (the convention of @tinyssb/core's `countDrop`). */
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
  readonly to: PeerId | undefined
  readonly key: string
  readonly priority: number
}

/**
 * The duplicate key of a frame: its bytes, and on an addressable face also its peer (the same
 * bytes for two peers are two sends there; on a broadcast face one send reaches both). Frame bytes
 * become chars below U+0100, so the U+0100 separator makes the key unambiguous.
 */
function frameKey(frame: Uint8Array, to: PeerId | undefined): string {
  let s = to === undefined ? '' : `${to}\u0100`
  for (const b of frame) s += String.fromCharCode(b)
  return s
}

/**
 * Wraps any face so that frames go out one by one with a gap between them, optionally within a
 * duty-cycle budget. send() only enqueues and resolves at once (best effort); the frames then go
 * out in order, each with the `to` it was given (so the inner face's `addressable` holds for the
 * paced face too). send() rejects only frames it will not send: checkFrame's FACE_EMPTY and
 * FACE_MTU, and FACE_CLOSED after close. A frame identical to one already queued (for the same
 * peer, on an addressable face) is dropped (DUPLICATE). When the queue is full the lowest-priority
 * frame goes first, the oldest among equals; a new frame that ranks below everything queued is
 * refused (both QUEUE_FULL). A peer the inner face refuses later is counted as FACE_PEER. Closing
 * drops what is still queued (CLOSED).
 *
 * Time: each gap is measured from the instant a frame is handed to the inner face, read from
 * `clock` and drawn from `random` right then, so pacing under a fake or simulated clock does not
 * depend on when promise jobs run; the next frame also waits until the inner send has settled.
 * @param inner - the face that really sends.
 * @param options - gap, jitter, airtime budget, queue bound, clock, randomness, priority.
 * @returns a face with the inner face's name, mtu, addressable and peerGroup, and `stats`.
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
  const window = airtime ? airtimeWindow(airtime) : undefined
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const priority = options.priority ?? defaultPriority
  const onError = options.onError
  const name = inner.name

  const stats: PacedFaceStats = {
    sent: 0,
    queued: 0,
    airtimeMs: 0,
    dropped: { DUPLICATE: 0, QUEUE_FULL: 0, AIRTIME: 0, SEND_FAILED: 0, FACE_PEER: 0, CLOSED: 0 },
  }
  let queue: Queued[] = []
  const waiting = new Set<string>() // keys of the queued frames (no two are equal)
  let nextAt = -Infinity
  let busy = false
  let timer: unknown
  let closed = false
  let closing: Promise<void> | undefined

  function schedule(ms: number): void {
    timer = clock.setTimeout(() => {
      timer = undefined
      pump()
    }, ms)
  }

  function settled(err: unknown, failed: boolean): void {
    if (failed) {
      countDrop(stats, errorCode(err) === 'FACE_PEER' ? 'FACE_PEER' : 'SEND_FAILED')
      try {
        onError?.(err)
      } catch {
        // an observer that throws changes nothing: the queue goes on
      }
    } else stats.sent++
    busy = false
    pump()
  }

  function pump(): void {
    for (;;) {
      if (closed || busy || timer !== undefined) return
      const head = queue[0]
      if (head === undefined) return
      const now = clock.now()
      let wait = nextAt - now
      let est = 0
      if (airtime && window) {
        est = airtime.estimateMs(head.frame.length)
        if (!(est <= window.capMs)) {
          // This frame alone exceeds the whole budget: holding it would block the queue forever.
          queue.shift()
          waiting.delete(head.key)
          countDrop(stats, 'AIRTIME')
          continue
        }
        wait = Math.max(wait, window.wait(now, est))
      }
      if (wait > 0) return schedule(wait)
      queue.shift()
      waiting.delete(head.key)
      if (window) {
        window.record(now, est)
        stats.airtimeMs += est
      }
      busy = true
      nextAt = now + minGapMs + random() * jitterMs
      let p: Promise<void>
      try {
        p = head.to === undefined ? inner.send(head.frame) : inner.send(head.frame, head.to)
      } catch (err) {
        p = Promise.reject(err)
      }
      p.then(
        () => settled(undefined, false),
        (err: unknown) => settled(err, true),
      )
      return
    }
  }

  function enqueue(frame: Uint8Array, to: PeerId | undefined): void {
    const key = frameKey(frame, inner.addressable ? to : undefined)
    if (waiting.has(key)) return countDrop(stats, 'DUPLICATE')
    const item: Queued = { frame: frame.slice(), to, key, priority: priority(frame) }
    if (queue.length >= queueMax) {
      // Lowest priority first; among equals the oldest (queue order is age order).
      let victim = 0
      for (let i = 1; i < queue.length; i++) {
        if ((queue[i] as Queued).priority < (queue[victim] as Queued).priority) victim = i
      }
      const v = queue[victim] as Queued
      countDrop(stats, 'QUEUE_FULL')
      if (item.priority < v.priority) return // the new frame is the least useful: refuse it
      queue.splice(victim, 1)
      waiting.delete(v.key)
    }
    queue.push(item)
    waiting.add(key)
    stats.queued++
  }

  return {
    name,
    mtu: inner.mtu,
    get addressable() {
      return inner.addressable
    },
    // the inner face's grouping of peers (fairness), when it has one
    ...(inner.peerGroup ? { peerGroup: (peer: PeerId) => inner.peerGroup!(peer) } : {}),
    stats,
    get queueLength() {
      return queue.length
    },
    async send(frame: Uint8Array, to?: PeerId): Promise<void> {
      if (closed) throw new FaceError('FACE_CLOSED', `face "${name}" is closed`)
      checkFrame(name, inner.mtu, frame)
      enqueue(frame, to)
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
      countDrop(stats, 'CLOSED', queue.length)
      queue = []
      waiting.clear()
      closing = inner.close()
      return closing
    },
  }
}
