// One counters convention for faces, engines and simulators: frames and bytes each way, and drops
// keyed by a stable UPPER_SNAKE reason (an error code where one exists, e.g. 'PACKET_SIGNATURE').

/** Traffic counters of a face or a node. */
export interface TrafficStats {
  framesIn: number
  framesOut: number
  bytesIn: number
  bytesOut: number
  /** Frames dropped, by reason. */
  readonly dropped: Record<string, number>
}

/** Fresh zeroed counters. */
export function newTrafficStats(): TrafficStats {
  return { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, dropped: {} }
}

/** Counts one drop for `reason`. */
export function countDrop(stats: { readonly dropped: Record<string, number> }, reason: string, n = 1): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + n
}

/** The sum of all drops. */
export function totalDropped(stats: { readonly dropped: Record<string, number> }): number {
  let n = 0
  for (const v of Object.values(stats.dropped)) n += v
  return n
}
