// Availability models (README "Availability"): whether a node is online at a given time, drawn from
// the node's own random stream so that other nodes never change it.
import { mulberry32 } from '@tinyssb/core'
import type { Availability } from './scenario.js'

/** Answers "is the node online at tick t". Cheapest when asked in time order (as a run does). */
export interface AvailabilityModel {
  online(tick: number): boolean
}

/**
 * The model of one node.
 * @param a - the scenario's availability.
 * @param seed - the seed of the node's availability stream (the same seed gives the same states).
 */
export function availabilityModel(a: Availability, seed: number): AvailabilityModel {
  switch (a.kind) {
    case 'always':
      return { online: () => true }
    case 'periodic': {
      const { period, on, phase } = a
      return { online: (t) => ((((t - phase) % period) + period) % period) < on }
    }
    case 'windows':
      return windowsModel(a.windows)
    case 'bernoulli':
      return bernoulliModel(a.p, seed)
    case 'sessions':
      return sessionsModel(a.meanOn, a.meanOff, seed)
  }
}

function windowsModel(windows: readonly (readonly [number, number])[]): AvailabilityModel {
  return {
    online(t) {
      // binary search for the last window starting at or before t
      let lo = 0
      let hi = windows.length - 1
      let found = -1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (windows[mid]![0] <= t) {
          found = mid
          lo = mid + 1
        } else hi = mid - 1
      }
      return found >= 0 && t < windows[found]![1]
    },
  }
}

/** One draw per whole tick, in tick order: tick k's state is the k-th draw of the stream. */
function bernoulliModel(p: number, seed: number): AvailabilityModel {
  let random = mulberry32(seed)
  let tick = -1
  let state = false
  return {
    online(t) {
      const k = Math.max(0, Math.floor(t))
      if (k < tick) {
        random = mulberry32(seed)
        tick = -1
      }
      while (tick < k) {
        state = random() < p
        tick++
      }
      return state
    },
  }
}

/** Alternating exponential on and off periods; the first state is drawn with the stationary odds. */
function sessionsModel(meanOn: number, meanOff: number, seed: number): AvailabilityModel {
  let random = mulberry32(seed)
  let state = false
  let until = 0
  const restart = (): void => {
    random = mulberry32(seed)
    state = random() < meanOn / (meanOn + meanOff)
    until = exponential(random, state ? meanOn : meanOff)
  }
  restart()
  let last = 0
  return {
    online(t) {
      if (t < last) restart()
      last = t
      while (t >= until) {
        state = !state
        until += exponential(random, state ? meanOn : meanOff)
      }
      return state
    },
  }
}

function exponential(random: () => number, mean: number): number {
  return -mean * Math.log(1 - random())
}

/**
 * The online intervals of a node in [0, end) (ticks), for timelines; bernoulli at whole ticks.
 * At most `max` intervals (the rest is cut off).
 */
export function onlineIntervals(a: Availability, seed: number, end: number, max = 10_000): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const push = (from: number, to: number): void => {
    if (to <= from || out.length >= max) return
    const last = out[out.length - 1]
    if (last && last[1] === from) last[1] = to
    else out.push([from, to])
  }
  switch (a.kind) {
    case 'always':
      push(0, end)
      break
    case 'windows':
      for (const [from, to] of a.windows) push(Math.min(from, end), Math.min(to, end))
      break
    case 'periodic': {
      const first = Math.floor(-a.phase / a.period) - 1
      for (let k = first; out.length < max; k++) {
        const start = a.phase + k * a.period
        if (start >= end) break
        push(Math.max(0, start), Math.min(end, start + a.on))
      }
      break
    }
    case 'bernoulli': {
      const m = availabilityModel(a, seed)
      for (let k = 0; k < end && out.length < max; k++) if (m.online(k)) push(k, Math.min(k + 1, end))
      break
    }
    case 'sessions': {
      const m = availabilityModel(a, seed)
      // walk the change points through the model's own draws
      let t = 0
      let on = m.online(0)
      let from = 0
      const step = Math.min(a.meanOn, a.meanOff) / 20
      for (; t < end && out.length < max; t += step) {
        const now = m.online(t)
        if (now !== on) {
          if (on) push(from, t)
          from = t
          on = now
        }
      }
      if (on) push(from, end)
      break
    }
  }
  return out
}
