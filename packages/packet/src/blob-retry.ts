// Outstanding blob requests with retry and backoff: a pure state machine, time handed in. The
// engine tells it what it wants and what arrived, asks it what to send now, and sets one timer
// for nextDue(). No clock, no timers, no randomness of its own.
import type { Random } from '@tinyssb/core'
import { checkLength, isZero, toHex } from './bytes.js'
import { HASHPTR_BYTES } from './constants.js'
import { BLOB_CREDIT_MAX, type BlobRequestRecord } from './blob-request.js'

/** Options of {@link BlobRequestRetry}; every field has a default. */
export interface BlobRetryOptions {
  /** Wait after the first request before asking again (default 1000 ms), doubling per attempt… */
  readonly initialMs?: number
  /** …up to this (default 10 000 ms, the ARQ interval of the original). */
  readonly maxMs?: number
  /** Growth of the wait per attempt (default 2). */
  readonly factor?: number
  /** Requests for one pointer before it is given up (default 8; progress starts a new count). */
  readonly maxAttempts?: number
  /**
   * After a blob arrives while more are in flight for the same request, wait this long for the
   * next one before asking for it (default 3000 ms: a LoRa face sends about one frame a second).
   */
  readonly streamWaitMs?: number
  /** Credit per request (default and maximum {@link BLOB_CREDIT_MAX}). */
  readonly maxCredit?: number
  /** Pointers tracked at once (default 1024); beyond, the oldest is given up. */
  readonly maxOutstanding?: number
  /** Randomizes each wait by ±`jitter` of it (default 0.1) when `random` is given. */
  readonly jitter?: number
  /** Source of jitter (e.g. a seeded PRNG or core's systemRandom); without it, no jitter. */
  readonly random?: Random
}

/** What to do now ({@link BlobRequestRetry.due}). */
export interface BlobRetryStep {
  /** Records to send now (pack them with `packBlobRequests`). */
  readonly send: BlobRequestRecord[]
  /** Pointers given up (too many attempts, or evicted to bound memory). */
  readonly expired: Uint8Array[]
}

interface Outstanding {
  readonly ptr: Uint8Array
  /** Blobs from this one to the end of its chain, when known. */
  remaining: number | undefined
  /** Blobs still expected from the request in flight (this one included). */
  inflight: number
  attempt: number
  due: number
}

/**
 * Outstanding blob requests: each pointer is asked for when wanted, then again after a wait that
 * grows (initialMs × factor^k, capped at maxMs) until the blob comes or maxAttempts is reached.
 * A blob that arrives moves the request along its chain: the next pointer is expected as a
 * follow-up of the same credit (first asked only after streamWaitMs), or asked at once when the
 * credit is used up. Bounded: at most maxOutstanding pointers.
 * @example
 * ```ts
 * const retry = new BlobRequestRetry()
 * retry.want(ptr, remaining, clock.now())
 * const { send } = retry.due(clock.now())
 * for (const frame of packBlobRequests(send)) face.send(frame)
 * // when a blob arrives: retry.received(blobPointer(blob), nextBlobPointer(blob), clock.now())
 * ```
 */
export class BlobRequestRetry {
  private readonly items = new Map<string, Outstanding>()
  private evicted: Uint8Array[] = []
  private readonly o: Required<Omit<BlobRetryOptions, 'random'>> & { random: Random | undefined }

  constructor(options: BlobRetryOptions = {}) {
    this.o = {
      initialMs: Math.max(1, options.initialMs ?? 1_000),
      maxMs: Math.max(1, options.maxMs ?? 10_000),
      factor: Math.max(1, options.factor ?? 2),
      maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 8)),
      streamWaitMs: Math.max(0, options.streamWaitMs ?? 3_000),
      maxCredit: Math.max(1, Math.min(BLOB_CREDIT_MAX, Math.floor(options.maxCredit ?? BLOB_CREDIT_MAX))),
      maxOutstanding: Math.max(1, Math.floor(options.maxOutstanding ?? 1_024)),
      jitter: Math.min(1, Math.max(0, options.jitter ?? 0.1)),
      random: options.random,
    }
  }

  /** Pointers outstanding. */
  get size(): number {
    return this.items.size
  }

  /** Whether `ptr` is outstanding. */
  has(ptr: Uint8Array): boolean {
    return this.items.has(toHex(ptr))
  }

  /**
   * Wants blob `ptr` (and its followers: `remaining` blobs from it to the end of the chain, when
   * known). Due at once. A pointer already outstanding keeps its schedule.
   * @returns whether the pointer was new.
   */
  want(ptr: Uint8Array, remaining: number | undefined, now: number): boolean {
    checkLength(ptr, HASHPTR_BYTES, 'blob pointer')
    if (isZero(ptr) || remaining === 0) return false
    const key = toHex(ptr)
    const had = this.items.get(key)
    if (had) {
      had.remaining ??= remaining
      return false
    }
    this.add(key, { ptr: ptr.slice(), remaining, inflight: 0, attempt: 0, due: now })
    return true
  }

  /**
   * A blob arrived. When it was outstanding, its successor `next` (the blob's last 20 bytes) is
   * expected next, unless the chain ends there.
   * @returns whether the blob was outstanding.
   */
  received(ptr: Uint8Array, next: Uint8Array | undefined, now: number): boolean {
    const key = toHex(ptr)
    const item = this.items.get(key)
    if (!item) return false
    this.items.delete(key)
    const remaining = item.remaining === undefined ? undefined : item.remaining - 1
    if (!next || isZero(next) || remaining === 0) return true
    const nextKey = toHex(next)
    if (this.items.has(nextKey)) return true
    const inflight = Math.max(0, item.inflight - 1)
    const due = inflight > 0 ? now + this.o.streamWaitMs : now
    this.add(nextKey, { ptr: next.slice(), remaining, inflight, attempt: 0, due })
    return true
  }

  /** Stops tracking `ptr` (e.g. the blob came from elsewhere, or the entry was dropped). */
  cancel(ptr: Uint8Array): void {
    this.items.delete(toHex(ptr))
  }

  /**
   * The requests due at `now`: each is counted as sent and scheduled again after its backoff; a
   * pointer asked maxAttempts times without an answer is given up instead.
   */
  due(now: number): BlobRetryStep {
    const send: BlobRequestRecord[] = []
    const expired = this.evicted
    this.evicted = []
    for (const [key, item] of this.items) {
      if (item.due > now) continue
      if (item.attempt >= this.o.maxAttempts) {
        this.items.delete(key)
        expired.push(item.ptr)
        continue
      }
      const credit = Math.min(this.o.maxCredit, item.remaining ?? this.o.maxCredit)
      send.push({ ptr: item.ptr, credit })
      item.inflight = credit
      item.attempt++
      item.due = now + this.backoff(item.attempt)
    }
    return { send, expired }
  }

  /**
   * When {@link due} next has work: a time to set one timer for (-Infinity when evicted pointers
   * wait to be reported), or undefined when nothing is outstanding.
   */
  nextDue(): number | undefined {
    if (this.evicted.length > 0) return Number.NEGATIVE_INFINITY
    let min: number | undefined
    for (const item of this.items.values()) if (min === undefined || item.due < min) min = item.due
    return min
  }

  /** The wait after attempt `k` (1-based). */
  private backoff(k: number): number {
    const base = Math.min(this.o.maxMs, this.o.initialMs * this.o.factor ** (k - 1))
    const r = this.o.random
    return r ? base * (1 + this.o.jitter * (2 * r() - 1)) : base
  }

  private add(key: string, item: Outstanding): void {
    if (this.items.size >= this.o.maxOutstanding) {
      const [oldKey, oldest] = this.items.entries().next().value!
      this.items.delete(oldKey)
      this.evicted.push(oldest.ptr)
    }
    this.items.set(key, item)
  }
}
