// Serve budgets: token buckets for a face and, within it, a fair share for each peer that asks.
import type { Clock, PeerId } from '@tinyssb/core'
import { LruMap } from './lru.js'

/** A token bucket: at most `rate` events per second on average, bursts up to `burst`. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst
    this.last = clock.now()
  }

  /** Tokens available now (refilled up to now). */
  available(): number {
    const now = this.clock.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000)
    this.last = now
    return this.tokens
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    if (this.available() < 1) return false
    this.tokens -= 1
    return true
  }
}

/** Limits of one face's serve budget. */
export interface FaceBudgetLimits {
  /** Frames per second on the face, all peers together, and the burst. */
  readonly rate: number
  readonly burst: number
  /** Peers with a share of their own; the least recently heard is forgotten beyond. */
  readonly maxPeers: number
  /** A peer that took a token within this time is active; active peers split rate and burst. */
  readonly activeMs: number
}

interface Share {
  tokens: number
  last: number
  seen: number
}

/**
 * The serve budget of one face: the face's token bucket, split evenly between its active peers.
 * With one peer asking it gets the whole rate; with n it gets rate/n (and burst/n), so a flooding
 * peer cannot take more than its share while others wait.
 */
export class FaceBudget {
  readonly #limits: FaceBudgetLimits
  readonly #clock: Clock
  readonly #face: TokenBucket
  readonly #peers: LruMap<PeerId, Share>
  #active = 1
  #countedAt = Number.NEGATIVE_INFINITY

  constructor(limits: FaceBudgetLimits, clock: Clock) {
    this.#limits = limits
    this.#clock = clock
    this.#face = new TokenBucket(limits.rate, limits.burst, clock)
    this.#peers = new LruMap(limits.maxPeers)
  }

  /** Peers with serve state (bounded by maxPeers). */
  get peers(): number {
    return this.#peers.size
  }

  /** How many peers share the face now. */
  get active(): number {
    return this.#active
  }

  /** Takes one frame of `peer`'s share and of the face's budget; false (nothing taken) when either is spent. */
  take(peer: PeerId): boolean {
    const now = this.#clock.now()
    const { rate, burst } = this.#limits
    let s = this.#peers.get(peer)
    if (!s) {
      this.#peers.set(peer, (s = { tokens: Number.NaN, last: now, seen: now }))
      this.#countedAt = Number.NEGATIVE_INFINITY // a new peer: count again
    }
    s.seen = now
    const n = this.#countActive(now)
    const shareBurst = Math.max(1, burst / n)
    s.tokens = Number.isNaN(s.tokens) ? shareBurst : Math.min(shareBurst, s.tokens + ((now - s.last) * rate) / n / 1000)
    s.last = now
    if (s.tokens < 1 || !this.#face.take()) return false
    s.tokens -= 1
    return true
  }

  #countActive(now: number): number {
    // counted at most every tenth of the activity window (and whenever a peer is new)
    if (now - this.#countedAt < this.#limits.activeMs / 10) return this.#active
    let n = 0
    for (const s of this.#peers.values()) if (now - s.seen <= this.#limits.activeMs) n++
    this.#countedAt = now
    this.#active = Math.max(1, n)
    return this.#active
  }
}

/**
 * The amplification bound of one face: per peer, credit earned by the bytes of its requests
 * (`factor` × bytes, capped at `maxCredit`) and spent by the bytes sent in answer. So in any
 * window a peer is sent at most factor × what it sent plus maxCredit.
 */
export class CreditLedger {
  readonly #factor: number
  readonly #max: number
  readonly #credit: LruMap<PeerId, { bytes: number }>

  constructor(factor: number, maxCredit: number, maxPeers: number) {
    this.#factor = factor
    this.#max = maxCredit
    this.#credit = new LruMap(maxPeers)
  }

  /** A request of `bytes` from `peer`. */
  earn(peer: PeerId, bytes: number): void {
    const c = this.#credit.getOrCreate(peer, () => ({ bytes: 0 }))
    c.bytes = Math.min(this.#max, c.bytes + this.#factor * bytes)
  }

  /** Whether `bytes` may be sent to `peer` now. */
  allows(peer: PeerId, bytes: number): boolean {
    return this.#factor === Number.POSITIVE_INFINITY || (this.#credit.get(peer)?.bytes ?? 0) >= bytes
  }

  /** Spends `bytes` of `peer`'s credit (after {@link allows}). */
  spend(peer: PeerId, bytes: number): void {
    const c = this.#credit.get(peer)
    if (c) c.bytes = Math.max(0, c.bytes - bytes)
  }

  /** The credit `peer` holds, in bytes. */
  credit(peer: PeerId): number {
    return this.#credit.get(peer)?.bytes ?? 0
  }
}
