// Media: link addressing, MTU refusals, LoRa airtime and collisions, loss, duplication, reordering.
import { FaceError } from '@tinyssb/core'
import { loraAirtimeMs } from '@tinyssb/pacing'
import { describe, expect, it } from 'vitest'
import { parseScenario, runScenario } from '../src/index.js'
import { collect, scriptAdapter, type ScriptedSend } from './helpers.js'

const scenario = (media: unknown[], nodes = ['A', 'B', 'C'], extra: Record<string, unknown> = {}) =>
  parseScenario({ protocol: 'script', ticks: 100, stop: 'end', nodes: nodes.map((name) => ({ name })), media, replicate: {}, ...extra })

describe('media', () => {
  it('link: a send to one peer reaches that peer alone; without a destination, each other member (one frame each)', async () => {
    const { adapter, received } = scriptAdapter({ A: [{ atMs: 0, bytes: 5, mark: 1, to: 'C' }, { atMs: 10_000, bytes: 5, mark: 2 }] })
    const r = await runScenario(scenario([{ type: 'link', nodes: ['A', 'B', 'C'] }]), adapter)
    expect(received.map((x) => [x.node, x.mark, x.from])).toEqual([['C', 1, 'A'], ['B', 2, 'A'], ['C', 2, 'A']])
    expect(r.frames).toBe(3)
  })

  it('broadcast: one frame on air, every member hears it; a destination is ignored', async () => {
    const { adapter, received } = scriptAdapter({ A: [{ atMs: 0, bytes: 5, to: 'C' }] })
    const r = await runScenario(scenario([{ type: 'broadcast', nodes: ['A', 'B', 'C'] }]), adapter)
    expect(received.map((x) => x.node).sort()).toEqual(['B', 'C'])
    expect(r.frames).toBe(1)
  })

  it('a send to a peer the medium does not have is refused with FACE_PEER', async () => {
    const { adapter, errors } = scriptAdapter({ A: [{ atMs: 0, bytes: 5, to: 'Z' }] })
    await runScenario(scenario([{ type: 'link', nodes: ['A', 'B'] }]), adapter)
    expect(errors.map((e) => (e as FaceError).code)).toEqual(['FACE_PEER'])
  })

  it('refuses a frame over the MTU (FACE_MTU) and counts it; a frame of exactly the MTU goes', async () => {
    const { adapter, received, errors } = scriptAdapter({ A: [{ atMs: 0, bytes: 121, mark: 1 }, { atMs: 1000, bytes: 120, mark: 2 }] })
    const trace = collect()
    const r = await runScenario(scenario([{ type: 'link', nodes: ['A', 'B'], mtu: 120 }], ['A', 'B']), adapter, { sinks: [trace.sink] })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(FaceError)
    expect((errors[0] as FaceError).code).toBe('FACE_MTU')
    expect(r.drops.MTU).toBe(1)
    expect(trace.events.filter((e) => e.event === 'drop')).toEqual([
      { t: 0, event: 'drop', from: 'A', to: null, medium: 'm0', bytes: 121, tag: null, reason: 'MTU' },
    ])
    expect(received.map((x) => x.mark)).toEqual([2])
    expect(r.frames).toBe(1)
  })

  it('LoRa: a frame arrives after its airtime (the faces\' formula)', async () => {
    const { adapter, received } = scriptAdapter({ A: [{ atMs: 0, bytes: 120 }] })
    await runScenario(scenario([{ type: 'broadcast', nodes: ['A', 'B'], latency: { lora: { sf: 9, bw_khz: 125, cr: 5 } } }], ['A', 'B']), adapter)
    expect(received).toHaveLength(1)
    expect(received[0]!.atMs).toBeCloseTo(loraAirtimeMs(120, { sf: 9, bwHz: 125_000, cr: 5 }), 9)
  })

  const lora = (collisions: boolean) => [{ type: 'broadcast', nodes: ['A', 'B', 'C'], latency: { lora: {} }, collisions }]
  const overlapping: Record<string, ScriptedSend[]> = { A: [{ atMs: 0, bytes: 120, mark: 1 }], B: [{ atMs: 50, bytes: 120, mark: 2 }], C: [{ atMs: 500, bytes: 120, mark: 3 }] }

  it('LoRa: overlapping transmissions collide (both lost for everyone, the sender is half duplex); later ones pass', async () => {
    const { adapter, received } = scriptAdapter(overlapping)
    const r = await runScenario(scenario(lora(true)), adapter)
    expect(r.drops.COLLISION).toBe(4) // frames 1 and 2, each at two receivers
    expect(received.map((x) => [x.node, x.mark]).sort()).toEqual([['A', 3], ['B', 3]])
    expect(r.frames).toBe(3) // collided frames were on air all the same
  })

  it('LoRa with collisions off: the channel carries one frame at a time, the second waits', async () => {
    const { adapter, received } = scriptAdapter(overlapping)
    const r = await runScenario(scenario(lora(false)), adapter)
    const air = loraAirtimeMs(120)
    expect(r.drops.COLLISION ?? 0).toBe(0)
    const atC = received.filter((x) => x.node === 'C')
    expect(atC.map((x) => x.mark)).toEqual([1, 2])
    expect(atC[0]!.atMs).toBeCloseTo(air, 9)
    expect(atC[1]!.atMs).toBeCloseTo(2 * air, 9) // queued behind frame 1, not at 50 + air
  })

  it('loss, duplication and reordering happen at their rates', async () => {
    const sends = Array.from({ length: 4000 }, (_, i) => ({ atMs: i * 100, bytes: 4, mark: i % 250 }))
    const run = async (m: Record<string, unknown>) => {
      const { adapter, received } = scriptAdapter({ A: sends })
      const r = await runScenario(scenario([{ type: 'link', nodes: ['A', 'B'], latency: { uniform: [0.01, 0.5] }, ...m }], ['A', 'B'], { ticks: 500 }), adapter)
      return { r, received }
    }
    const lossy = await run({ loss: 0.2 })
    expect(lossy.r.drops.LOSS! / 4000).toBeGreaterThan(0.17)
    expect(lossy.r.drops.LOSS! / 4000).toBeLessThan(0.23)
    const dup = await run({ duplicate: 0.1 })
    expect((dup.received.length - 4000) / 4000).toBeGreaterThan(0.08)
    expect((dup.received.length - 4000) / 4000).toBeLessThan(0.12)
    const reordering = await run({ reorder: 0.3 })
    const outOfOrder = (xs: typeof reordering.received) => xs.filter((x, i) => i > 0 && ((x.mark - xs[i - 1]!.mark + 250) % 250) > 125).length
    expect(reordering.received).toHaveLength(4000)
    expect(outOfOrder(reordering.received)).toBeGreaterThan(outOfOrder((await run({})).received) + 100)
  })

  it('normal latency: the mean and spread asked for, never negative', async () => {
    const sends = Array.from({ length: 3000 }, (_, i) => ({ atMs: i * 10_000, bytes: 4 }))
    const { adapter, received } = scriptAdapter({ A: sends })
    await runScenario(scenario([{ type: 'link', nodes: ['A', 'B'], latency: { normal: { mean: 2, sd: 0.5 } } }], ['A', 'B'], { ticks: 30_010 }), adapter)
    const d = received.map((r) => r.atMs / 1000 - Math.floor(r.atMs / 10_000) * 10)
    const mean = d.reduce((a, b) => a + b, 0) / d.length
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length)
    expect(mean).toBeGreaterThan(1.95)
    expect(mean).toBeLessThan(2.05)
    expect(sd).toBeGreaterThan(0.45)
    expect(sd).toBeLessThan(0.55)
    expect(Math.min(...d)).toBeGreaterThanOrEqual(0)
  })

  it('pacing and a duty cycle on a LoRa medium: the real pacedFace holds frames to 1 % airtime per hour', async () => {
    const sends = Array.from({ length: 40 }, (_, i) => ({ atMs: 0, bytes: 120, mark: i }))
    const { adapter } = scriptAdapter({ A: sends })
    const trace = collect()
    const air = loraAirtimeMs(120, { sf: 12, bwHz: 125_000, cr: 5 })
    const s = scenario([{ type: 'broadcast', nodes: ['A', 'B'], latency: { lora: { sf: 12, bw_khz: 125 } }, pacing: { preset: 'lora', duty_cycle: 0.01 } }], ['A', 'B'], { ticks: 7200 })
    await runScenario(s, adapter, { sinks: [trace.sink] })
    const tx = trace.events.filter((e) => e.event === 'tx').map((e) => e.t)
    const perHour = Math.floor(36_000 / air)
    expect(tx.filter((t) => t < 3600)).toHaveLength(perHour)
    for (let i = 1; i < tx.length; i++) expect(tx[i]! - tx[i - 1]!).toBeGreaterThanOrEqual(1) // LoRa pacing: 1 s gap
    expect(tx.filter((t) => t < 7200).length).toBeLessThanOrEqual(2 * perHour)
    expect(tx.filter((t) => t < 7200).length).toBeGreaterThan(perHour)
  })
})
