// The PoC's network semantics: a queue of frames keyed by arrival tick (latency in whole ticks,
// uniform 1..3), reliability applied per receiver at receive, arrivals handed over before nodes
// act at that tick; and an analytic check — a sender that retransmits every tick to a
// receiver with receive reliability p delivers after a geometric number of ticks.
import { describe, expect, it } from 'vitest'
import { floodAdapter, parseScenario, runScenario, runSeeds, summarize } from '../src/index.js'
import { collect, scriptAdapter } from './helpers.js'

const flood = (nodes: unknown[], media: unknown[], extra: Record<string, unknown> = {}) =>
  parseScenario({
    protocol: 'flood',
    ticks: 2000,
    nodes,
    media,
    appends: [{ node: 'A', at: 1 }],
    replicate: { B: ['A'] },
    ...extra,
  })

describe('PoC network semantics', () => {
  it('a frame sent at tick t with latency L arrives at tick t + L exactly', async () => {
    const { adapter, received } = scriptAdapter({ A: [{ atMs: 3000, bytes: 10 }, { atMs: 3500, bytes: 10, mark: 2 }] })
    const s = parseScenario({
      protocol: 'script',
      ticks: 20,
      stop: 'end',
      nodes: [{ name: 'A' }, { name: 'B' }],
      media: [{ type: 'link', nodes: ['A', 'B'], latency: { constant: 2 } }],
      replicate: {},
    })
    await runScenario(s, adapter)
    expect(received).toEqual([
      { node: 'B', mark: 1, atMs: 5000, from: 'A' },
      { node: 'B', mark: 2, atMs: 5500, from: 'A' },
    ])
  })

  it('uniform [1, 3] latency is a whole number of ticks, each value about a third of the time', async () => {
    // one frame every 10 ticks, so each arrival belongs to the last send before it
    const sends = Array.from({ length: 1500 }, (_, i) => ({ atMs: i * 10_000, bytes: 8 }))
    const { adapter, received } = scriptAdapter({ A: sends })
    const s = parseScenario({
      protocol: 'script',
      ticks: 15_010,
      stop: 'end',
      nodes: [{ name: 'A' }, { name: 'B' }],
      media: [{ type: 'link', nodes: ['A', 'B'], latency: { uniform: [1, 3] } }],
      replicate: {},
    })
    await runScenario(s, adapter)
    expect(received).toHaveLength(1500)
    const delays = received.map((r) => r.atMs / 1000 - Math.floor(r.atMs / 10_000) * 10)
    expect(new Set(delays)).toEqual(new Set([1, 2, 3]))
    for (const k of [1, 2, 3]) {
      const share = delays.filter((d) => d === k).length / 1500
      expect(share).toBeGreaterThan(0.28)
      expect(share).toBeLessThan(0.39)
    }
  })

  it('reliability is per receiver and applied at receive: one broadcast, B hears ~10 %, C everything', async () => {
    const sends = Array.from({ length: 2000 }, (_, i) => ({ atMs: i * 1000 + 1, bytes: 8 }))
    const { adapter, received } = scriptAdapter({ A: sends })
    const s = parseScenario({
      protocol: 'script',
      ticks: 2100,
      stop: 'end',
      nodes: [{ name: 'A' }, { name: 'B', receive_reliability: 0.1 }, { name: 'C', receive_reliability: 1 }],
      media: [{ type: 'broadcast', nodes: ['A', 'B', 'C'], latency: { constant: 1 } }],
      replicate: {},
    })
    const r = await runScenario(s, adapter)
    const atB = received.filter((x) => x.node === 'B').length
    const atC = received.filter((x) => x.node === 'C').length
    expect(atC).toBe(2000)
    expect(atB / 2000).toBeGreaterThan(0.085)
    expect(atB / 2000).toBeLessThan(0.115)
    // each frame was on air once (a broadcast), and the losses are counted at the receiver
    expect(r.frames).toBe(2000)
    expect(r.drops.RECEIVE_LOSS).toBe(2000 - atB)
  })

  it('frames that arrive at tick T reach a node before it acts at T', async () => {
    // flood acts on whole ticks: A appends at 1 and sends at 1; B receives at 2 and forwards at 2
    const s = flood([{ name: 'A' }, { name: 'B' }, { name: 'C' }], [
      { name: 'ab', type: 'link', nodes: ['A', 'B'], latency: { constant: 1 } },
      { name: 'bc', type: 'link', nodes: ['B', 'C'], latency: { constant: 1 } },
    ], { replicate: { B: ['A'], C: ['A'] } })
    const trace = collect()
    const r = await runScenario(s, floodAdapter, { sinks: [trace.sink] })
    const holds = trace.events.filter((e) => e.event === 'hold').map((e) => [e.to, e.t])
    expect(holds).toEqual([['B', 2], ['C', 3]])
    expect(r.convergence_ticks).toBe(3)
  })
})

describe('analytic checks over many seeds (±15 %)', () => {
  const geometric = (p: number, latency: number) => ({
    median: Math.ceil(Math.log(0.5) / Math.log(1 - p)) - 1 + latency,
    mean: 1 / p - 1 + latency,
    p90: Math.ceil(Math.log(0.1) / Math.log(1 - p)) - 1 + latency,
  })

  for (const [p, latency] of [[0.1, 1], [0.3, 2]] as const) {
    it(`retransmitting every tick to a receiver with reliability ${p}, latency ${latency}: geometric delivery`, async () => {
      const s = flood([{ name: 'A' }, { name: 'B', receive_reliability: p }], [
        { type: 'link', nodes: ['A', 'B'], latency: { constant: latency } },
      ])
      const results = await runSeeds(s, floodAdapter, { seeds: 400 })
      expect(results.every((r) => r.converged)).toBe(true)
      const { latency_ticks: got } = summarize(s, results)
      const want = geometric(p, latency)
      for (const k of ['median', 'mean', 'p90'] as const) {
        expect(Math.abs(got![k] - want[k]) / want[k], `${k}: got ${got![k]}, want ${want[k]}`).toBeLessThanOrEqual(0.15)
      }
    })
  }
})
