// Fairness: a consumer's catch-up under a WANT flood from another peer on the same face takes at
// most twice its time without the flood, also when the flood comes from 50 peer ids of one host
// (one group: Face.peerGroup) (seeded memory hub, fake clock).
import { encodeWant, wantDmx } from '@tinyssb/packet'
import { mulberry32 } from '@tinyssb/core'
import { describe, expect, it } from 'vitest'
import { producerAndConsumer, runUntil, timedCatchUp } from './helpers.js'

const N = 200
/** A producer whose serve budget (1000 frames/s) is what the consumers share. */
const NODE = { serveRate: 1000, serveBurst: 64, window: 8, retryMinMs: 200, wantIntervalMs: 2000 }

/** Virtual ms until the consumer holds all N entries, with or without a flooding peer. */
async function catchUp(flood: boolean, seed: number) {
  const served = { attacker: 0 }
  const run = await timedCatchUp(
    {
      seed,
      feed: 40,
      entries: N,
      delayMs: [10, 20],
      node: NODE,
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

/** An attacker host: 50 peer ids ('evil#0' … 'evil#49', one group on the hub), each flooding WANTs. */
const PORTS = 50
const hostOf = (name: string) => name.split('#')[0]!

/**
 * The consumer's catch-up (virtual ms, or undefined when not done within `deadlineMs`) while 50
 * ports of one host flood the producer; `grouped`: the hub tells the producer they are one host.
 */
async function spoofed(grouped: boolean, seed: number, deadlineMs: number) {
  const served = { attacker: 0 }
  const f = await producerAndConsumer({ seed, feed: 40, entries: N, delayMs: [10, 20], node: NODE, ...(grouped ? { peerGroup: hostOf } : {}) })
  const { clock, hub, fid } = f
  // every port: a WANT of 6 records every 20 ms (15 000 records/s in all, 15 × the serve rate)
  const rand = mulberry32(seed)
  const dmx = wantDmx(fid)
  const ports = Array.from({ length: PORTS }, (_, i) => hub.face(`evil#${i}`))
  for (const p of ports) p.onFrame((fr) => void (fr.length === 120 && served.attacker++))
  const tick = () => {
    for (const p of ports) void p.send(encodeWant(dmx, Array.from({ length: 6 }, () => ({ fid, seq: 1 + Math.floor(rand() * N) }))))
    clock.setTimeout(tick, 20)
  }
  tick()
  await f.nodeA.start()
  const t0 = clock.now()
  await f.nodeB.start()
  const ok = await runUntil(clock, () => f.nodeB.front(fid) === N, deadlineMs, 5)
  const ms = clock.now() - t0
  const front = f.nodeB.front(fid)
  await f.nodeA.stop()
  await f.nodeB.stop()
  await hub.close()
  return { ms: ok ? ms : undefined, front, served, rateLimited: f.nodeA.stats.dropped.RATE_LIMITED ?? 0 }
}

describe('fair serving under a flood from many peer ids of one host', () => {
  it('a consumer catches up within 2 × its time alone while 50 ports of one host flood WANTs', async () => {
    const alone = await catchUp(false, 42)
    const flooded = await spoofed(true, 42, 2 * alone.ms)
    expect(flooded.rateLimited).toBeGreaterThan(0) // the flood hit the limit
    expect(flooded.served.attacker).toBeGreaterThan(100) // and the host got its share
    expect(flooded.ms).toBeLessThanOrEqual(2 * alone.ms)
    // without the grouping each port is a peer of its own: the consumer gets 1/51 of the budget
    const ungrouped = await spoofed(false, 42, 2 * alone.ms)
    expect(ungrouped.ms).toBeUndefined()
    expect(ungrouped.front).toBeLessThan(N / 2)
  }, 30_000)
})
