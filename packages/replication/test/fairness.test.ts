// Fairness: a consumer's catch-up under a WANT flood from another peer on the same face takes at
// most twice its time without the flood (seeded memory hub, fake clock).
import { encodeWant, wantDmx } from '@tinyssb/packet'
import { mulberry32 } from '@tinyssb/core'
import { describe, expect, it } from 'vitest'
import { timedCatchUp } from './helpers.js'

const N = 200

/** Virtual ms until the consumer holds all N entries, with or without a flooding peer. */
async function catchUp(flood: boolean, seed: number) {
  const served = { attacker: 0 }
  const run = await timedCatchUp(
    {
      seed,
      feed: 40,
      entries: N,
      delayMs: [10, 20],
      node: { serveRate: 1000, serveBurst: 64, window: 8, retryMinMs: 200, wantIntervalMs: 2000 },
    },
    flood
      ? ({ clock, hub, fid }) => {
          // 5 WANTs of 6 records every 5 ms: 6 000 records/s, six times the producer's serve rate
          const attacker = hub.face('attacker')
          attacker.onFrame((f) => void (f.length === 120 && served.attacker++))
          const rand = mulberry32(seed)
          const dmx = wantDmx(fid)
          const tick = () => {
            for (let i = 0; i < 5; i++) {
              void attacker.send(encodeWant(dmx, Array.from({ length: 6 }, () => ({ fid, seq: 1 + Math.floor(rand() * N) }))))
            }
            clock.setTimeout(tick, 5)
          }
          tick()
        }
      : undefined,
  )
  expect(run.ok).toBe(true)
  return { ms: run.ms, served, rateLimited: run.nodeA.stats.dropped.RATE_LIMITED ?? 0 }
}

describe('fair serving under a flood', () => {
  it('a consumer catches up within 2 × its time alone while another peer floods WANTs', async () => {
    const alone = await catchUp(false, 41)
    const flooded = await catchUp(true, 41)
    expect(flooded.rateLimited).toBeGreaterThan(0) // the flood did hit the limit
    expect(flooded.served.attacker).toBeGreaterThan(100) // and got its share
    expect(flooded.ms).toBeLessThanOrEqual(2 * alone.ms)
  }, 30_000)
})
