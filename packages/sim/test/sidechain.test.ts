// Appends with `bytes`: the tinySSB adapter appends chain20 entries with sidechain blobs; an item
// is held only with all its blobs, and blobs lost on a lossy link are asked for again (blob requests).
import type { TinyNode } from '@tinyssb/replication'
import { describe, expect, it } from 'vitest'
import { createTinyssbAdapter } from '../src/adapters/tinyssb.js'
import { runScenario, type Scenario } from '../src/index.js'
import { loadScenario } from '../src/node/index.js'
import { collect, seedRange } from './helpers.js'

/** One run with the real nodes at hand (for their stats) and the trace. */
async function run(scenario: Scenario, seed: number) {
  const nodes = new Map<string, TinyNode>()
  const trace = collect()
  const r = await runScenario(scenario, createTinyssbAdapter({ onNode: (name, node) => nodes.set(name, node) }), { seed, sinks: [trace.sink] })
  return { r, nodes, events: trace.events }
}

describe('sidechain-lossy (appends with bytes)', () => {
  const { scenario } = loadScenario('sidechain-lossy')

  it('B converges with every entry and every blob in 24 seeds; blobs were lost and asked for again', async () => {
    expect(scenario.appends[0]!.bytes).toBe(500)
    let seedsWithLostBlobs = 0
    let seedsWithRequests = 0
    for (const seed of seedRange(24)) {
      const { r, nodes, events } = await run(scenario, seed)
      expect(r.converged, `seed ${seed}`).toBe(true)
      expect(r.delivered).toBe(10)
      const b = nodes.get('B')!.stats
      // 500 bytes: a chain20 entry with ⌈(2 + 500 − 28) / 100⌉ = 5 blobs; B stored each of the 50
      expect(b.blobsStored).toBeGreaterThanOrEqual(50)
      expect(events.filter((e) => e.event === 'tx' && e.from === 'A' && e.tag === 'blob').length).toBeGreaterThanOrEqual(50)
      if (events.some((e) => e.event === 'drop' && e.tag === 'blob' && e.to === 'B')) seedsWithLostBlobs++
      if (b.blobRequestsSent > 0) {
        seedsWithRequests++
        expect(nodes.get('A')!.stats.blobRequests).toBeGreaterThan(0)
      }
    }
    // the control: blobs really got lost on the way, and were recovered by asking
    expect(seedsWithLostBlobs).toBeGreaterThan(12)
    expect(seedsWithRequests).toBeGreaterThan(12)
  })

  it('without blob requests B holds entries whose blobs are missing: "holds" waits for the blobs', async () => {
    const noRequests: Scenario = { ...scenario, ticks: 120, protocolOptions: { blob_requests: false } }
    let stuck = 0
    for (const seed of seedRange(8)) {
      const { r, nodes, events } = await run(noRequests, seed)
      expect(nodes.get('B')!.stats.blobRequestsSent).toBe(0)
      const entriesHeld = nodes.get('B')!.stats.appended
      const holds = events.filter((e) => e.event === 'hold').length
      expect(holds).toBe(r.delivered)
      expect(holds).toBeLessThanOrEqual(entriesHeld)
      if (!r.converged && entriesHeld === 10) stuck++
    }
    expect(stuck).toBeGreaterThan(0)
  })

  it('plain items stay plain48 entries without blobs; 48 bytes is the largest plain one', async () => {
    for (const [bytes, blobs] of [[undefined, 0], [48, 0], [49, 1]] as const) {
      const s: Scenario = { ...scenario, media: scenario.media.map((m) => ({ ...m, loss: 0 })), appends: [{ node: 'A', at: 1, count: 2, every: 1, bytes }] }
      const { r, nodes, events } = await run(s, 1)
      expect(r.converged).toBe(true)
      expect(nodes.get('B')!.stats.blobsStored).toBe(2 * blobs)
      const blobFrames = events.filter((e) => e.event === 'tx' && e.tag === 'blob').length
      if (blobs === 0) expect(blobFrames).toBe(0)
      else expect(blobFrames).toBeGreaterThanOrEqual(2 * blobs)
    }
  })
})
