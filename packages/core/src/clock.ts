// The time seam. Protocol code never reads the time or sets a timer itself: it asks the Clock the
// host handed in. The real clock is `systemClock`; tests use `fakeClock`; the simulator has its own.

/** A handle returned by {@link Clock.setTimeout}; opaque to the caller. */
export type TimerHandle = unknown

/** Time and scheduling, handed in so protocol logic runs under real, fake or simulated time. */
export interface Clock {
  /** Milliseconds, monotonic. Only differences are meaningful. */
  now(): number
  /** Runs `fn` once, `ms` from now (0 or less: as soon as possible, after the current task). */
  setTimeout(fn: () => void, ms: number): TimerHandle
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void
  /**
   * Runs `fn` soon, after the current task and before any timer that is due later (a macrotask on
   * the real clock, an event at the current instant on a virtual one). Optional: without it
   * {@link soon} falls back to `setTimeout(fn, 0)`.
   */
  queueTask?(fn: () => void): void
}

/** Runs `fn` soon on `clock`: its queueTask, or a zero timeout. */
export function soon(clock: Clock, fn: () => void): void {
  if (clock.queueTask) clock.queueTask(fn)
  else clock.setTimeout(fn, 0)
}

/** A source of uniform random numbers in [0, 1), handed in like the clock. */
export type Random = () => number
