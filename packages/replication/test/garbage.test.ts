// Garbage: a fuzz flood at a consumer slows its catch-up at most 2 × (seeded memory hub, fake
// clock): garbage may not push early answers from a useful peer out of the parking lot.
import { mulberry32 } from '@tinyssb/core'
import { describe, expect, it } from 'vitest'
import { timedCatchUp } from './helpers.js'

const N = 200

async function catchUp(fuzz: boolean, seed: number) {
  const run = await timedCatchUp(
    {
      seed,
      feed: 70,
      entries: N,
      delayMs: [1, 60], // answers arrive well out of order: many wait in the parking lot
      // one answer per frame (no bundles, as from the original): every early answer is parked
      node: { retryMinMs: 200, wantIntervalMs: 2000, bundles: false },
    },
    fuzz
      ? ({ clock, hub }) => {
          // 100 random 120-byte frames every 5 ms (20 000 frames/s) from another peer
          const fuzzer = hub.face('fuzzer')
          const rand = mulberry32(seed)
          const tick = () => {
            for (let i = 0; i < 100; i++) void fuzzer.send(Uint8Array.from({ length: 120 }, () => Math.floor(rand() * 256)))
            clock.setTimeout(tick, 5)
          }
          tick()
        }
      : undefined,
  )
  return { ok: run.ok, ms: run.ms, dropped: run.nodeB.stats.dropped }
}

describe('parking lot under a fuzz flood', () => {
  it('a consumer catches up within 2 × its time without the flood', async () => {
    const calm = await catchUp(false, 71)
    const fuzzed = await catchUp(true, 71)
    expect(calm.ok && fuzzed.ok).toBe(true)
    expect(fuzzed.dropped.PARKING_REFUSED ?? 0).toBeGreaterThan(0) // garbage was turned away
    expect(fuzzed.ms).toBeLessThanOrEqual(2 * calm.ms)
  }, 30_000)
})
