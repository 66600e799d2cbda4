// The host's real time and randomness: the one module of the seams that touches them. Protocol code
// takes a Clock and a Random from its host and only falls back to these when none is given.
import type { Clock, Random } from './clock.js'

// Declared here, not taken from a lib: this package compiles without DOM or Node types.
interface HostTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  setImmediate?: (fn: () => void) => unknown
  performance?: { now(): number }
}
const host = globalThis as unknown as HostTimers

/**
 * The real clock: performance.now() (Date.now() where there is none) and the host's timers. On Node
 * timers are unref'd, so a pending retransmission never keeps a process alive; queueTask is
 * setImmediate where there is one (Node), else a zero timeout (browsers).
 */
export const systemClock: Clock = {
  now: host.performance ? () => host.performance!.now() : () => Date.now(),
  setTimeout(fn, ms) {
    const t = host.setTimeout(fn, ms) as { unref?: () => void }
    t?.unref?.()
    return t
  },
  clearTimeout: (handle) => host.clearTimeout(handle),
  queueTask: host.setImmediate ? (fn) => void host.setImmediate!(fn) : (fn) => void host.setTimeout(fn, 0),
}

/** The host's Math.random, for jitter where the host hands in nothing better. Not for cryptography. */
export const systemRandom: Random = () => Math.random()
