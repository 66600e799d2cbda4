// The bounds of LogStore.getRange, shared by the file and the memory store.

/**
 * The most entries one getRange call of the repo stores returns (16 KiB of wires, 32 KiB of file
 * blocks): a request for more gets this many and asks again. A WANT names at most 64 records.
 */
export const MAX_RANGE_ENTRIES = 128

/**
 * How many entries getRange returns from `from` in a log holding anchorSeq+1..frontSeq: 0 when
 * `from` is not an integer or not held, or `count` is below 1 (or NaN); else at most `count`
 * (rounded down), the entries held and {@link MAX_RANGE_ENTRIES}.
 */
export function rangeLength(log: { readonly anchorSeq: number; readonly frontSeq: number }, from: number, count: number): number {
  if (!Number.isInteger(from) || from <= log.anchorSeq || from > log.frontSeq || !(count >= 1)) return 0
  return Math.min(Math.floor(count), log.frontSeq - from + 1, MAX_RANGE_ENTRIES)
}
