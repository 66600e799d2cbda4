import type { Clock } from './clock.js'
import { EventQueue, type QueuedEvent } from './event-queue.js'

/** Guard against timers that keep rescheduling themselves at the same instant. */
const MAX_TIMERS_PER_RUN = 10_000_000

/** A {@link Clock} whose time moves only when the test says so. */
export interface FakeClock extends Clock {
  /**
   * Moves time forward by `ms`, running every timer and task that falls due on the way in time
   * order (ties in the order they were set), including those set by them.
   * @returns the number of timers and tasks run.
   * @throws RangeError for a negative or non-finite `ms`; Error when more than ten million run in
   *   one call (a runaway loop).
   */
  advance(ms: number): number
  /**
   * Runs timers until none is left or the next one is more than `maxMs` ahead of the start;
   * time stops at the last timer run (it does not jump to the limit).
   * @returns the number of timers run.
   */
  runUntilIdle(maxMs?: number): number
  /** How many timers and tasks are waiting. */
  pending(): number
  /** When the next timer is due, or undefined when none is waiting. */
  nextAt(): number | undefined
}

/**
 * A deterministic fake {@link Clock}: `setTimeout` and `queueTask` queue, `advance` runs. No real
 * timer and no real macrotask is ever used, so a node driven by it is fully deterministic.
 * @param start the initial value of `now()`, default 0.
 * @example
 * const clock = fakeClock()
 * clock.setTimeout(() => console.log('tick'), 100)
 * clock.advance(100) // prints "tick"
 */
export function fakeClock(start = 0): FakeClock {
  let now = start
  const queue = new EventQueue()

  const runUntil = (limit: number): number => {
    let ran = 0
    for (;;) {
      const next = queue.peek()
      if (next === undefined || next.at > limit) return ran
      if (++ran > MAX_TIMERS_PER_RUN) throw new Error(`fakeClock: more than ${MAX_TIMERS_PER_RUN} timers in one run`)
      queue.pop()
      now = Math.max(now, next.at)
      next.fn()
    }
  }

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
      return queue.push(now + delay, fn)
    },
    clearTimeout(handle) {
      if (handle && typeof handle === 'object' && 'cancelled' in handle) queue.cancel(handle as QueuedEvent)
    },
    queueTask(fn) {
      queue.push(now, fn)
    },
    advance(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`fakeClock.advance: expected a finite ms >= 0, got ${ms}`)
      const target = now + ms
      const ran = runUntil(target)
      now = target
      return ran
    },
    runUntilIdle(maxMs = 3_600_000) {
      return runUntil(now + maxMs)
    },
    pending: () => queue.size,
    nextAt: () => queue.peek()?.at,
  }
}
