// Determinism: the same scenario and seed give a byte-identical trace, in one process and across
// processes; per-node and per-medium streams: adding a node does not change what the others draw.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { tinyssbAdapter } from '../src/adapters/tinyssb.js'
import { floodAdapter, hashSink, parseScenario, runScenario, stream, traceLine } from '../src/index.js'
import { loadScenario } from '../src/node/index.js'
import { collect } from './helpers.js'

const run = promisify(execFile)
const DIST = fileURLToPath(new URL('../dist/', import.meta.url))

/** The trace hash of a built-in scenario and seed, computed in a fresh `node` process from the build. */
async function hashInProcess(name: string, seed: number): Promise<string> {
  const script = `
    const { hashSink, runScenario } = await import(${JSON.stringify(`${DIST}index.js`)})
    const { loadScenario, ADAPTERS } = await import(${JSON.stringify(`${DIST}node/index.js`)})
    const { scenario } = loadScenario(${JSON.stringify(name)})
    const h = hashSink()
    await runScenario(scenario, ADAPTERS.get(scenario.protocol), { seed: ${seed}, sinks: [h.sink] })
    console.log(h.digest() + ' ' + h.count())`
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 })
  return stdout.trim()
}

async function hashHere(name: string, seed: number): Promise<string> {
  const { scenario } = loadScenario(name)
  const h = hashSink()
  await runScenario(scenario, tinyssbAdapter, { seed, sinks: [h.sink] })
  return `${h.digest()} ${h.count()}`
}

describe('determinism', () => {
  it('the same scenario and seed give the same trace in one process (real tinySSB nodes, real signatures)', async () => {
    const a = collect()
    const b = collect()
    const { scenario } = loadScenario('poc')
    await runScenario(scenario, tinyssbAdapter, { seed: 5, sinks: [a.sink] })
    await runScenario(scenario, tinyssbAdapter, { seed: 5, sinks: [b.sink] })
    expect(a.events.length).toBeGreaterThan(50)
    expect(b.events.map(traceLine).join('\n')).toBe(a.events.map(traceLine).join('\n'))
    const c = collect()
    await runScenario(scenario, tinyssbAdapter, { seed: 6, sinks: [c.sink] })
    expect(c.events.map(traceLine).join('\n')).not.toBe(a.events.map(traceLine).join('\n'))
  })

  it('two node processes produce the same trace hash as this one', async () => {
    const [p1, p2, here] = await Promise.all([hashInProcess('poc', 3), hashInProcess('poc', 3), hashHere('poc', 3)])
    expect(p1).toMatch(/^[0-9a-f]{16} \d+$/)
    expect(p2).toBe(p1)
    expect(here).toBe(p1)
    expect(await hashInProcess('lora-catchup', 2)).toBe(await hashHere('lora-catchup', 2))
  }, 60_000)
})

describe('independent streams', () => {
  const base = {
    protocol: 'flood',
    ticks: 200,
    stop: 'end',
    appends: [{ node: 'A', at: 1 }, { node: 'B', at: 3 }],
    replicate: { A: ['B'], B: ['A'] },
  }
  const abMedium = { name: 'air', type: 'broadcast', latency: { uniform: [0.5, 3.5] }, loss: 0.3 }
  const involvesD = (e: { from: string | null; to: string | null }) => e.from === 'D' || e.to === 'D' || e.from === 'E' || e.to === 'E'

  it('adding nodes (on their own medium, or listening on a shared one) does not change what A and B draw', async () => {
    const ab = [{ name: 'A', receive_reliability: 0.5 }, { name: 'B', send_reliability: 0.7 }]
    const two = parseScenario({ ...base, protocol_options: { forward: false }, nodes: ab, media: [{ ...abMedium, nodes: ['A', 'B'] }] })
    const four = parseScenario({
      ...base,
      protocol_options: { forward: false }, // D and E never send their own: they only listen
      nodes: [{ name: 'D' }, ab[0], { name: 'E', availability: { bernoulli: 0.5 } }, ab[1]],
      media: [{ name: 'de', type: 'link', nodes: ['D', 'E'] }, { ...abMedium, nodes: ['A', 'D', 'B', 'E'] }],
      replicate: { A: ['B'], B: ['A'], D: ['A'] },
    })
    for (const seed of [1, 2, 3]) {
      const small = collect()
      const big = collect()
      await runScenario(two, floodAdapter, { seed, sinks: [small.sink] })
      await runScenario(four, floodAdapter, { seed, sinks: [big.sink] })
      const others = big.events.filter((e) => !involvesD(e))
      expect(small.events.filter((e) => e.event === 'rx').length).toBeGreaterThan(10)
      expect(others.map(traceLine)).toEqual(small.events.map(traceLine))
      expect(big.events.some(involvesD)).toBe(true)
    }
  })

  it('streams are named: the same name gives the same draws, another name other draws', () => {
    const a = stream(9, 'node:A')
    const a2 = stream(9, 'node:A')
    const b = stream(9, 'node:B')
    const xs = [a(), a(), a()]
    expect([a2(), a2(), a2()]).toEqual(xs)
    expect([b(), b(), b()]).not.toEqual(xs)
  })
})
