import type { Clock } from '@tinyssb/packet'

/** Guard against timers that keep rescheduling themselves at the same instant. */
const MAX_TIMERS_PER_RUN = 1_000_000

/** A {@link Clock} whose time moves only when the test says so. */
export interface FakeClock extends Clock {
  /**
   * Moves time forward by `ms`, running every timer that falls due on the way in time order
   * (ties in the order they were set), including timers set by those timers.
   * @returns the number of timers run.
   * @throws Error when more than a million timers run in one call (a runaway loop).
   */
  advance(ms: number): number
  /**
   * Runs timers until none is left or the next one is more than `maxMs` ahead of the start;
   * time stops at the last timer run (it does not jump to the limit).
   * @returns the number of timers run.
   */
  runUntilIdle(maxMs?: number): number
  /** How many timers are waiting. */
  pending(): number
}

interface Timer {
  readonly at: number
  readonly order: number
  readonly fn: () => void
}

/**
 * A deterministic fake {@link Clock} for tests: `setTimeout` queues, `advance` runs.
 * @param start the initial value of `now()`, default 0.
 * @example
 * const clock = fakeClock()
 * clock.setTimeout(() => console.log('tick'), 100)
 * clock.advance(100) // prints "tick"
 */
export function fakeClock(start = 0): FakeClock {
  let now = start
  let order = 0
  // Sorted by (at, order); handles are the Timer objects themselves.
  const queue: Timer[] = []

  const insert = (timer: Timer): void => {
    let lo = 0
    let hi = queue.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const other = queue[mid] as Timer
      if (other.at < timer.at || (other.at === timer.at && other.order < timer.order)) lo = mid + 1
      else hi = mid
    }
    queue.splice(lo, 0, timer)
  }

  const runUntil = (limit: number): number => {
    let ran = 0
    for (;;) {
      const next = queue[0]
      if (next === undefined || next.at > limit) return ran
      if (++ran > MAX_TIMERS_PER_RUN) throw new Error(`fakeClock: more than ${MAX_TIMERS_PER_RUN} timers in one run`)
      queue.shift()
      now = Math.max(now, next.at)
      next.fn()
    }
  }

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
      const timer: Timer = { at: now + delay, order: order++, fn }
      insert(timer)
      return timer
    },
    clearTimeout(handle) {
      const i = queue.indexOf(handle as Timer)
      if (i >= 0) queue.splice(i, 1)
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`fakeClock.advance: expected ms >= 0, got ${ms}`)
      const target = now + ms
      const ran = runUntil(target)
      now = target
      return ran
    },
    runUntilIdle(maxMs = 3_600_000) {
      return runUntil(now + maxMs)
    },
    pending: () => queue.length,
  }
}
