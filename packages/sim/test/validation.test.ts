// Scenario validation: every error is one line that names the field, what was expected and what
// was found; defaults are filled in; every built-in scenario validates.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseScenario, ScenarioError, SimError } from '../src/index.js'
import { ADAPTERS, adapterFor, builtinScenarios, loadScenario } from '../src/node/index.js'

const ok = {
  protocol: 'tinyssb',
  ticks: 100,
  nodes: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
  media: [{ type: 'link', nodes: ['A', 'C'] }],
  appends: [{ node: 'A', at: 1 }],
  replicate: { B: ['A'], C: '*' },
}
const withOk = (patch: Record<string, unknown>) => ({ ...ok, ...patch })

function errorOf(raw: unknown): ScenarioError {
  try {
    parseScenario(raw)
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError)
    expect((err as Error).message).not.toContain('\n')
    return err as ScenarioError
  }
  throw new Error('expected a ScenarioError')
}

describe('scenario validation', () => {
  it('fills in the defaults', () => {
    const s = parseScenario(ok, 'demo')
    expect(s).toMatchObject({ name: 'demo', tickMs: 1000, seed: 1, stop: 'converged', measureFrom: 0, protocolOptions: {} })
    expect(s.nodes[0]).toEqual({ name: 'A', availability: { kind: 'always' }, receiveReliability: 1, sendReliability: 1 })
    expect(s.media[0]).toMatchObject({ name: 'm0', latency: { kind: 'constant', ticks: 1 }, loss: 0, mtu: 1400, collisions: true, pacing: undefined })
    expect(s.appends).toEqual([{ node: 'A', at: 1, count: 1, every: 0 }])
    expect(s.replicate).toEqual({ A: [], B: ['A'], C: ['A', 'B'] })
  })

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an unknown node in a medium', { media: [{ type: 'link', nodes: ['A', 'X'] }] }, 'media[0].nodes[1]', /unknown node "X"/],
    ['a negative receive reliability', { nodes: [{ name: 'A', receive_reliability: -0.1 }, { name: 'B' }, { name: 'C' }] }, 'nodes[0].receive_reliability', /expected a number ≥ 0 ≤ 1, got -0.1/],
    ['a loss above 1', { media: [{ type: 'broadcast', nodes: ['A', 'B'], loss: 1.5 }] }, 'media[0].loss', /got 1.5/],
    ['a missing ticks', { ticks: undefined }, 'ticks', /missing \(expected a number > 0/],
    ['a missing protocol', { protocol: undefined }, 'protocol', /missing/],
    ['a missing replicate', { replicate: undefined }, 'replicate', /expected an object/],
    ['a medium without type', { media: [{ nodes: ['A', 'B'] }] }, 'media[0].type', /missing \(expected "link" or "broadcast"\)/],
    ['a duplicate node', { nodes: [{ name: 'A' }, { name: 'A' }] }, 'nodes[1].name', /duplicate node name "A"/],
    ['an unknown field', { nodez: [] }, 'nodez', /unknown field/],
    ['a bad availability', { nodes: [{ name: 'A', availability: { periodic: { period: 10, on: 12 } } }, { name: 'B' }, { name: 'C' }] }, 'nodes[0].availability.periodic.on', /≤ 10, got 12/],
    ['two availability kinds', { nodes: [{ name: 'A', availability: { bernoulli: 0.5, windows: [] } }, { name: 'B' }, { name: 'C' }] }, 'nodes[0].availability', /exactly one of/],
    ['overlapping windows', { nodes: [{ name: 'A', availability: { windows: [[0, 10], [5, 20]] } }, { name: 'B' }, { name: 'C' }] }, 'nodes[0].availability.windows[1]', /starting at or after/],
    ['an append after the end', { appends: [{ node: 'A', at: 90, count: 20, every: 1 }] }, 'appends[0]', /last append \(tick 109\)/],
    ['an append by an unknown node', { appends: [{ node: 'Q', at: 1 }] }, 'appends[0].node', /unknown node "Q"/],
    ['an append of 0 bytes', { appends: [{ node: 'A', at: 1, bytes: 0 }] }, 'appends[0].bytes', /expected an integer ≥ 1 ≤ 65536, got 0/],
    ['an append of fractional bytes', { appends: [{ node: 'A', at: 1, bytes: 2.5 }] }, 'appends[0].bytes', /expected an integer/],
    ['an append of too many bytes', { appends: [{ node: 'A', at: 1, bytes: 65_537 }] }, 'appends[0].bytes', /≤ 65536, got 65537/],
    ['replicate naming an unknown node', { replicate: { B: ['Z'] } }, 'replicate.B[0]', /unknown node "Z"/],
    ['a bad latency', { media: [{ type: 'link', nodes: ['A', 'B'], latency: { uniform: [3, 1] } }] }, 'media[0].latency.uniform[1]', /≥ 3, got 1/],
    ['a duty cycle without LoRa', { media: [{ type: 'broadcast', nodes: ['A', 'B'], pacing: { preset: 'lora', duty_cycle: 0.01 } }] }, 'media[0].pacing.duty_cycle', /needs a "lora" latency/],
    ['a medium with one node', { media: [{ type: 'link', nodes: ['A'] }] }, 'media[0].nodes', /at least 2 nodes/],
  ]
  for (const [what, patch, path, message] of cases) {
    it(`names the field for ${what}`, () => {
      const err = errorOf(withOk(patch))
      expect(err.path).toBe(path)
      expect(err.code).toBe('SIM_SCENARIO')
      expect(err.message).toMatch(message)
      expect(err.message.startsWith(`scenario ${path}: `)).toBe(true)
    })
  }

  it('refuses what is not a scenario object', () => {
    expect(errorOf([]).message).toBe('scenario: expected a scenario object, got an array of 0')
    expect(errorOf(null).message).toBe('scenario: expected a scenario object, got null')
  })

  it('expands a random topology into connected links', () => {
    const s = parseScenario({ protocol: 'flood', ticks: 10, topology: { random: { nodes: 50, degree: 3, loss: 0.1 } }, replicate: { '*': ['n0'] } })
    expect(s.nodes).toHaveLength(50)
    expect(s.media.length).toBe(75)
    expect(s.media.every((m) => m.type === 'link' && m.loss === 0.1 && m.nodes.length === 2)).toBe(true)
    // connected: everyone reaches n0
    const seen = new Set(['n0'])
    for (let grew = true; grew; ) {
      grew = false
      for (const m of s.media) if (seen.has(m.nodes[0]!) !== seen.has(m.nodes[1]!)) grew = Boolean(seen.add(m.nodes[0]!).add(m.nodes[1]!))
    }
    expect(seen.size).toBe(50)
    expect(parseScenario({ protocol: 'flood', ticks: 10, seed: 2, topology: { random: { nodes: 50, degree: 3 } }, replicate: {} }).media).not.toEqual(s.media)
  })

  it('checks the protocol and its options through the adapter', () => {
    expect(() => adapterFor(parseScenario(withOk({ protocol: 'nope' })))).toThrow(/scenario protocol: unknown protocol "nope" \(expected one of tinyssb, flood/)
    expect(() => adapterFor(parseScenario(withOk({ protocol_options: { window: 'big' } })))).toThrow(/protocol_options.window: expected an integer/)
    expect(adapterFor(parseScenario(ok))).toBe(ADAPTERS.get('tinyssb'))
  })
})

describe('scenario files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-scenarios-'))
  const file = (name: string, text: string) => {
    const p = join(dir, name)
    writeFileSync(p, text)
    return p
  }

  it('every built-in scenario validates and names a known protocol', () => {
    const names = builtinScenarios()
    expect(names).toEqual(expect.arrayContaining(['poc', 'relay', 'relay-no-c', 'lora-catchup', 'mesh-1000']))
    for (const name of names) {
      const { scenario } = loadScenario(name)
      expect(scenario.name).toBe(name)
      expect(scenario.description.length).toBeGreaterThan(20)
      expect(() => adapterFor(scenario)).not.toThrow()
    }
    expect(loadScenario('mesh-1000').scenario.nodes).toHaveLength(1000)
  })

  it('names the file in the one-line error', () => {
    const bad = file('bad.json', JSON.stringify(withOk({ media: [{ type: 'link', nodes: ['A', 'X'] }] })))
    expect(() => loadScenario(bad)).toThrow(`scenario ${bad}: media[0].nodes[1]: unknown node "X"`)
    const notJson = file('broken.json', '{ "protocol": ')
    expect(() => loadScenario(notJson)).toThrow(new RegExp(`^scenario ${notJson}: not valid JSON: `))
    const err = (() => {
      try {
        loadScenario('no-such-scenario')
      } catch (e) {
        return e as SimError
      }
    })()
    expect(err?.code).toBe('SIM_NOT_FOUND')
    expect(err?.message).toMatch(/built-ins: .*relay/)
  })
})
