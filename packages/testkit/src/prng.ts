/**
 * mulberry32: a tiny seeded PRNG (32-bit state), good enough to make lossy test media repeatable.
 * Not for cryptography.
 * @param seed any integer; the same seed gives the same sequence on every platform.
 * @returns a function returning the next number in [0, 1).
 * @example
 * const rand = mulberry32(42)
 * const coin = rand() < 0.5
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
