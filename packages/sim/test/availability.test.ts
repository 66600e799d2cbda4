// Availability models, and what offline means: a node neither sends nor receives, its timers run.
import { describe, expect, it } from 'vitest'
import { availabilityModel, onlineIntervals, parseScenario, runScenario, type Availability } from '../src/index.js'
import { collect, scriptAdapter } from './helpers.js'

const share = (a: Availability, seed: number, ticks: number, step = 1): number => {
  const m = availabilityModel(a, seed)
  let on = 0
  let n = 0
  for (let t = 0; t < ticks; t += step, n++) if (m.online(t)) on++
  return on / n
}

describe('availability models', () => {
  it('always', () => {
    expect(share({ kind: 'always' }, 1, 100)).toBe(1)
  })

  it('periodic {period, on, phase}: online while (t − phase) mod period < on', () => {
    const m = availabilityModel({ kind: 'periodic', period: 50, on: 5, phase: 25 }, 1)
    const online = Array.from({ length: 100 }, (_, t) => t).filter((t) => m.online(t))
    expect(online).toEqual([25, 26, 27, 28, 29, 75, 76, 77, 78, 79])
    expect(m.online(24.999)).toBe(false)
    expect(m.online(29.999)).toBe(true)
    expect(onlineIntervals({ kind: 'periodic', period: 50, on: 5, phase: 25 }, 1, 100)).toEqual([[25, 30], [75, 80]])
  })

  it('windows [[from, to), …]', () => {
    const a: Availability = { kind: 'windows', windows: [[10, 20], [30, 31.5]] }
    const m = availabilityModel(a, 1)
    expect([9.99, 10, 19.99, 20, 29, 30, 31.4, 31.5].map((t) => m.online(t))).toEqual([false, true, true, false, false, true, true, false])
    expect(onlineIntervals(a, 1, 100)).toEqual([[10, 20], [30, 31.5]])
  })

  it('bernoulli p: online in a share p of the ticks, the same state within a tick, the same draws however asked', () => {
    const a: Availability = { kind: 'bernoulli', p: 0.3 }
    const s = share(a, 7, 20_000)
    expect(s).toBeGreaterThan(0.28)
    expect(s).toBeLessThan(0.32)
    const m = availabilityModel(a, 7)
    expect([5, 5.5, 5.99].map((t) => m.online(t))).toEqual(Array(3).fill(m.online(5)))
    const forward = Array.from({ length: 50 }, (_, t) => availabilityModel(a, 7).online(t))
    const backAndForth = availabilityModel(a, 7)
    backAndForth.online(40)
    expect(Array.from({ length: 50 }, (_, t) => backAndForth.online(t))).toEqual(forward)
    expect(share(a, 8, 2000)).not.toBe(share(a, 7, 2000))
  })

  it('sessions {mean_on, mean_off}: exponential periods, online a share mean_on/(mean_on+mean_off) of the time', () => {
    const a: Availability = { kind: 'sessions', meanOn: 20, meanOff: 60 }
    const s = share(a, 3, 200_000, 0.5)
    expect(s).toBeGreaterThan(0.22)
    expect(s).toBeLessThan(0.28)
    const iv = onlineIntervals(a, 3, 10_000)
    const meanOn = iv.reduce((x, [f, t]) => x + t - f, 0) / iv.length
    expect(meanOn).toBeGreaterThan(15)
    expect(meanOn).toBeLessThan(25)
  })
})

describe('offline nodes', () => {
  it('neither send nor receive, and their timers keep running', async () => {
    // B is online in [5, 10) only; A sends at 1 (B offline), 6 (online), 12 (offline); B sends at 2 and 7
    const { adapter, received } = scriptAdapter({
      A: [1, 6, 12].map((t) => ({ atMs: t * 1000, bytes: 4, mark: t })),
      B: [2, 7].map((t) => ({ atMs: t * 1000, bytes: 4, mark: t })),
    })
    const s = parseScenario({
      protocol: 'script',
      ticks: 20,
      stop: 'end',
      nodes: [{ name: 'A' }, { name: 'B', availability: { windows: [[5, 10]] } }],
      media: [{ type: 'link', nodes: ['A', 'B'], latency: { constant: 0.5 } }],
      replicate: {},
    })
    const trace = collect()
    const r = await runScenario(s, adapter, { sinks: [trace.sink] })
    expect(received.map((x) => [x.node, x.mark])).toEqual([['B', 6], ['A', 7]])
    const drops = trace.events.filter((e) => e.event === 'drop').map((e) => [e.t, e.from, e.to, e.reason])
    expect(drops).toEqual([
      [1.5, 'A', 'B', 'OFFLINE'], // on air, B offline at arrival
      [2, 'B', null, 'OFFLINE'], // B's timer ran at 2, but B cannot send
      [12.5, 'A', 'B', 'OFFLINE'],
    ])
    expect(r.frames).toBe(4) // A's three and B's frame at 7; B's frame at 2 never went on air
  })
})
