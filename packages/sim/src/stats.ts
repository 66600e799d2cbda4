// Summary statistics of the simulator's figures.

/** Median, mean and 90th percentile of a sample. */
export interface Stat {
  readonly median: number
  readonly mean: number
  readonly p90: number
}

/**
 * The q-quantile of sorted values, linearly interpolated between order statistics (the usual
 * "type 7" definition of R and numpy).
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

/** {median, mean, p90} of `values`, or null for an empty sample. Values are rounded to 6 decimals. */
export function stat(values: readonly number[]): Stat | null {
  if (values.length === 0) return null
  const sorted = Float64Array.from(values).sort()
  let sum = 0
  for (const v of sorted) sum += v
  const arr = Array.from(sorted)
  return { median: round(quantile(arr, 0.5)), mean: round(sum / sorted.length), p90: round(quantile(arr, 0.9)) }
}

/** Rounds to 6 decimals (keeps JSON output short and stable). */
export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6
}
