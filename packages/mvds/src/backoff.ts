// Retransmission schedules (2/MVDS "Retransmission"): after a record went out for the
// `sendCount`-th time in `epoch`, the policy says from which epoch it is due again.
import type { Random } from '@tinyssb/core'

/** The next send epoch of a record sent for the `sendCount`-th time (1, 2, …) in `epoch`. */
export type BackoffPolicy = (sendCount: number, epoch: number, random: Random) => number

/** The built-in policies by name. */
export type BackoffName = 'constant' | 'linear' | 'exponential' | 'status-go' | 'bsp'

const clamp = (epoch: number, delay: number): number => Math.min(Number.MAX_SAFE_INTEGER, epoch + Math.max(1, Math.floor(delay)))
const pow2 = (n: number): number => 2 ** Math.min(n, 60)

/** Every epoch. */
export function constantBackoff(): BackoffPolicy {
  return (_count, epoch) => clamp(epoch, 1)
}

/** epoch + step·count: the Go reference simulator's `Calc` (step 2). */
export function linearBackoff(step = 2): BackoffPolicy {
  return (count, epoch) => clamp(epoch, step * count)
}

/** epoch + min(cap, base·2^(count−1)): doubling with a cap (in epochs). */
export function exponentialBackoff(options: { readonly base?: number; readonly cap?: number } = {}): BackoffPolicy {
  const base = options.base ?? 1
  const cap = options.cap ?? 64
  return (count, epoch) => clamp(epoch, Math.min(cap, base * pow2(count - 1)))
}

/** epoch + 2^(count−1)·interval·multiplier + random[0, jitter): status-go's schedule (30, 3, 30). */
export function statusGoBackoff(options: { readonly interval?: number; readonly multiplier?: number; readonly jitter?: number } = {}): BackoffPolicy {
  const interval = options.interval ?? 30
  const multiplier = options.multiplier ?? 3
  const jitter = options.jitter ?? 30
  return (count, epoch, random) => clamp(epoch, pow2(count - 1) * interval * multiplier + Math.floor(random() * jitter))
}

/** epoch + maxLatency·2^(count+1): the Bramble Synchronisation Protocol's (Briar) expiry, in epochs. */
export function bspBackoff(options: { readonly maxLatency?: number } = {}): BackoffPolicy {
  const maxLatency = options.maxLatency ?? 1
  return (count, epoch) => clamp(epoch, maxLatency * pow2(count + 1))
}

/**
 * A built-in policy by name, with its defaults; a function is returned as it is.
 * @throws TypeError for an unknown name.
 */
export function backoffPolicy(policy: BackoffName | BackoffPolicy): BackoffPolicy {
  if (typeof policy === 'function') return policy
  switch (policy) {
    case 'constant':
      return constantBackoff()
    case 'linear':
      return linearBackoff()
    case 'exponential':
      return exponentialBackoff()
    case 'status-go':
      return statusGoBackoff()
    case 'bsp':
      return bspBackoff()
    default:
      throw new TypeError(`mvds: unknown backoff policy ${String(policy)}`)
  }
}
