import type { Random } from './clock.js'

/**
 * mulberry32: a tiny seeded PRNG (32-bit state) for repeatable jitter, lossy test media and
 * simulations. The same seed gives the same sequence on every platform. Not for cryptography.
 * @param seed any integer.
 * @example
 * const rand = mulberry32(42)
 * const coin = rand() < 0.5
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A seed for an independent stream, derived from a base seed and a name (FNV-1a over the name,
 * mixed with the seed): adding a stream never changes what the others draw.
 */
export function deriveSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  return h >>> 0
}
