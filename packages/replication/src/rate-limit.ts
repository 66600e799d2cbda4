// A token bucket: at most `rate` events per second on average, bursts up to `burst`.
import type { Clock } from '@tinyssb/core'

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

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.clock.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
