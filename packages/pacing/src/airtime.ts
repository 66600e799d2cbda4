// The duty-cycle budget of a paced face: the airtime sent within any sliding window of `windowMs`
// stays at or below budget · windowMs (regional LoRa rules: 1 % or 10 % per hour).

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

// Float sums of airtime may be off by an ulp; never hold a frame for that.
const EPSILON_MS = 1e-6

/** The sends within the window and the question "how long until `ms` more fits?". */
export interface AirtimeWindow {
  /** The most airtime one window may hold, in ms. */
  readonly capMs: number
  /** How long to wait from `now` until a frame of `ms` airtime fits the budget (0: now). */
  wait(now: number, ms: number): number
  /** Records a frame of `ms` airtime sent at `now`. */
  record(now: number, ms: number): void
}

/** @internal Checks a number option. @throws TypeError naming the option. */
export function checkNumber(value: number, what: string, min: number): void {
  if (typeof value !== 'number' || !(value >= min) || !Number.isFinite(value)) {
    throw new TypeError(`"${what}" expected a finite number ≥ ${min}, got ${String(value)}`)
  }
}

/**
 * @internal The sliding window of an {@link AirtimeBudget}; memory is bounded by the frames that
 * fit in one window.
 * @throws TypeError for a budget outside 0..1 or a window under 1 ms.
 */
export function airtimeWindow(airtime: AirtimeBudget): AirtimeWindow {
  const windowMs = airtime.windowMs ?? AIRTIME_WINDOW_MS
  checkNumber(airtime.budget, 'airtime.budget', 0)
  if (airtime.budget > 1) throw new TypeError(`"airtime.budget" expected a fraction ≤ 1, got ${airtime.budget}`)
  checkNumber(windowMs, 'airtime.windowMs', 1)
  const capMs = airtime.budget * windowMs
  const history: { t: number; ms: number }[] = [] // sends within the window, oldest first
  return {
    capMs,
    wait(now, ms) {
      while (history.length > 0 && (history[0] as { t: number }).t + windowMs <= now) history.shift()
      let used = 0
      for (const h of history) used += h.ms
      if (used + ms <= capMs + EPSILON_MS) return 0
      for (const h of history) {
        used -= h.ms
        if (used + ms <= capMs + EPSILON_MS) return h.t + windowMs - now
      }
      return 0 // unreachable when ms ≤ capMs, which the caller checks first
    },
    record(now, ms) {
      history.push({ t: now, ms })
    },
  }
}
