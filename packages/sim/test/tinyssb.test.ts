// The tinySSB adapter: real createNode nodes with memory stores and ed25519 keys on the simulator,
// mutual replication through trust anchors, the relay question, frame classification.
import { describe, expect, it } from 'vitest'
import { tinyssbAdapter } from '../src/adapters/tinyssb.js'
import { parseScenario, runScenario, runSeeds, summarize } from '../src/index.js'
import { loadScenario } from '../src/node/index.js'
import { collect, seedRange } from './helpers.js'

describe('tinySSB adapter', () => {
  it('poc: mutual replication — every node gets A\'s and B\'s entries (trust anchors for every other feed)', async () => {
    const { scenario } = loadScenario('poc')
    const trace = collect()
    const r = await runScenario(scenario, tinyssbAdapter, { seed: 1, sinks: [trace.sink] })
    expect(r.converged).toBe(true)
    expect(r.pairs).toBe(4) // A#1 → B, C; B#1 → A, C
    const holds = trace.events.filter((e) => e.event === 'hold').map((e) => `${e.item}@${e.to}`).sort()
    expect(holds).toEqual(['A#1@B', 'A#1@C', 'B#1@A', 'B#1@C'])
    expect(Object.keys(r.per_tag).sort()).toEqual(['entry', 'want'])
    const results = await runSeeds(scenario, tinyssbAdapter, { seeds: 8 })
    expect(results.every((x) => x.converged)).toBe(true)
  })

  it('relay: B gets A\'s entry through C in every seed; without C never', async () => {
    const relay = loadScenario('relay').scenario
    for (const seed of seedRange(10)) {
      const trace = collect()
      const r = await runScenario(relay, tinyssbAdapter, { seed, sinks: [trace.sink] })
      expect(r.converged).toBe(true)
      const toB = trace.events.filter((e) => e.event === 'rx' && e.to === 'B' && e.tag === 'entry')
      expect(toB.length).toBeGreaterThan(0)
      expect(toB.every((e) => e.from === 'C')).toBe(true)
    }
    const noC = loadScenario('relay-no-c').scenario
    const results = await runSeeds(noC, tinyssbAdapter, { seeds: 5 })
    expect(results.map((x) => x.converged)).toEqual([false, false, false, false, false])
    expect(results.every((x) => x.end_ticks === noC.ticks && x.delivered === 0)).toBe(true)
    expect(summarize(noC, results).converged).toBe(0)
  })

  it('lora-catchup: B catches up 100 entries over a paced LoRa channel; efficiency is the share of entry frames', async () => {
    const { scenario } = loadScenario('lora-catchup')
    const trace = collect()
    const r = await runScenario(scenario, tinyssbAdapter, { seed: 1, sinks: [trace.sink] })
    expect(r.converged).toBe(true)
    expect(r.delivered).toBe(100)
    expect(r.catchup_ticks).toBeCloseTo(r.convergence_ticks! - 150, 5)
    // paced at about one frame per second per face: B's catch-up cannot beat 100 frames in 100 ticks
    expect(r.catchup_ticks).toBeGreaterThan(100)
    const window = trace.events.filter((e) => e.event === 'tx' && e.t >= 150)
    expect(r.efficiency).toBeCloseTo(window.filter((e) => e.tag === 'entry').length / window.length, 5)
    // the real pacedFace spaces each node's frames by at least the LoRa gap (1 s)
    for (const node of ['A', 'B']) {
      const ts = trace.events.filter((e) => e.event === 'tx' && e.from === node).map((e) => e.t)
      for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBeGreaterThanOrEqual(1 - 1e-9)
    }
  })

  it('refuses unknown or bad protocol options, takes createNode\'s', async () => {
    expect(() => tinyssbAdapter.checkOptions!({ windw: 4 })).toThrow(/protocol_options\.windw: unknown option/)
    expect(() => tinyssbAdapter.checkOptions!({ window: 0 })).toThrow(/protocol_options\.window: expected an integer ≥ 1/)
    const s = parseScenario({
      protocol: 'tinyssb',
      protocol_options: { window: 1, want_bytes: 400, verify_cache: false },
      ticks: 600,
      nodes: [{ name: 'A' }, { name: 'B' }],
      media: [{ type: 'link', nodes: ['A', 'B'], latency: { constant: 0.01 } }],
      appends: [{ node: 'A', at: 1, count: 5 }],
      replicate: { B: ['A'] },
    })
    tinyssbAdapter.checkOptions!(s.protocolOptions)
    const r = await runScenario(s, tinyssbAdapter)
    expect(r.converged).toBe(true)
    expect(r.delivered).toBe(5)
  })
})
