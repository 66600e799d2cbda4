// Serve budgets: token buckets for a face and, within it, a fair share for each group of peers
// (Face.peerGroup: a host) and, within that, for each peer that asks.
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
  /** Peers (and groups) with a share of their own; the least recently heard is forgotten beyond. */
  readonly maxPeers: number
  /** A peer that took a token within this time is active; active groups, then their peers, split rate and burst. */
  readonly activeMs: number
  /** The group of a peer (Face.peerGroup); default: every peer is a group of its own. */
  readonly groupOf?: (peer: PeerId) => string
}

interface Share {
  tokens: number
  last: number
}

interface PeerShare extends Share {
  readonly group: string
  seen: number
}

/** Refills `s` at `rate` per second up to `burst` (a new share starts full). */
function refill(s: Share, now: number, rate: number, burst: number): void {
  s.tokens = Number.isNaN(s.tokens) ? burst : Math.min(burst, s.tokens + ((now - s.last) * rate) / 1000)
  s.last = now
}

/**
 * The serve budget of one face: the face's token bucket, shared fairly in two levels. The active
 * groups (Face.peerGroup: on UDP a host, whatever its ports) split it evenly, then the active peers
 * of a group split the group's share: with G groups and n peers in its group a peer gets rate/G/n
 * (and burst/G/n), its group rate/G. So a flooding peer cannot take more than its share while
 * others wait, and one host with many ports (forged peer ids) takes one group's share, not one per
 * port. Without groups every peer is a group: rate/n each. Both tables are bounded by maxPeers.
 */
export class FaceBudget {
  readonly #limits: FaceBudgetLimits
  readonly #clock: Clock
  readonly #face: TokenBucket
  readonly #peers: LruMap<PeerId, PeerShare>
  readonly #groups: LruMap<string, Share>
  /** Active peers per active group, and how many groups are active (as last counted). */
  #perGroup = new Map<string, number>()
  #active = 1
  #countedAt = Number.NEGATIVE_INFINITY

  constructor(limits: FaceBudgetLimits, clock: Clock) {
    this.#limits = limits
    this.#clock = clock
    this.#face = new TokenBucket(limits.rate, limits.burst, clock)
    this.#peers = new LruMap(limits.maxPeers)
    this.#groups = new LruMap(limits.maxPeers)
  }

  /** Peers with serve state (bounded by maxPeers). */
  get peers(): number {
    return this.#peers.size
  }

  /** How many peers share the face now. */
  get active(): number {
    let n = 0
    for (const k of this.#perGroup.values()) n += k
    return Math.max(1, n)
  }

  /** How many groups share the face now. */
  get groups(): number {
    return this.#active
  }

  /** Takes one frame of `peer`'s share, its group's and the face's budget; false (nothing taken) when one is spent. */
  take(peer: PeerId): boolean {
    const now = this.#clock.now()
    const { rate, burst } = this.#limits
    let p = this.#peers.get(peer)
    if (!p) {
      this.#peers.set(peer, (p = { tokens: Number.NaN, last: now, seen: now, group: this.#limits.groupOf?.(peer) ?? peer }))
      this.#countedAt = Number.NEGATIVE_INFINITY // a new peer: count again
    }
    p.seen = now
    let g = this.#groups.get(p.group)
    if (!g) this.#groups.set(p.group, (g = { tokens: Number.NaN, last: now }))
    const groups = this.#countActive(now)
    const n = Math.max(1, this.#perGroup.get(p.group) ?? 1)
    refill(g, now, rate / groups, Math.max(1, burst / groups))
    refill(p, now, rate / groups / n, Math.max(1, burst / groups / n))
    if (p.tokens < 1 || g.tokens < 1 || !this.#face.take()) return false
    p.tokens -= 1
    g.tokens -= 1
    return true
  }

  /** Active groups; counted at most every tenth of the activity window (and whenever a peer is new). */
  #countActive(now: number): number {
    if (now - this.#countedAt < this.#limits.activeMs / 10) return this.#active
    const perGroup = new Map<string, number>()
    for (const s of this.#peers.values()) if (now - s.seen <= this.#limits.activeMs) perGroup.set(s.group, (perGroup.get(s.group) ?? 0) + 1)
    this.#perGroup = perGroup
    this.#countedAt = now
    this.#active = Math.max(1, perGroup.size)
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
