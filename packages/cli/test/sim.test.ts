// `tinyssb sim`: built-in scenarios, the table and --json figures, --trace, and bad scenario files
// (one error line, exit code 2, never a stack trace) both in-process and as a child process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cli, killAll, oneErrorLine, requireBuilt, run } from './helpers.js'

afterEach(killAll)

const dir = mkdtempSync(join(tmpdir(), 'tinyssb-sim-'))
const file = (name: string, content: unknown): string => {
  const p = join(dir, name)
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content))
  return p
}
const scenario = {
  protocol: 'tinyssb',
  ticks: 100,
  nodes: [{ name: 'A' }, { name: 'B' }],
  media: [{ type: 'link', nodes: ['A', 'B'] }],
  appends: [{ node: 'A', at: 1 }],
  replicate: { B: ['A'] },
}

describe('tinyssb sim', () => {
  it('sim list names the built-in scenarios', async () => {
    const r = await run('sim', 'list')
    expect(r.code).toBe(0)
    const names = r.out.filter(Boolean).map((l) => l.split(/\s+/)[0])
    expect(names).toEqual(expect.arrayContaining(['poc', 'relay', 'relay-no-c', 'lora-catchup', 'mesh-1000']))
  })

  it('prints a table of the figures', async () => {
    const r = await run('sim', 'relay', '--seeds', '3')
    expect(r.code).toBe(0)
    expect(r.out[0]).toBe('relay (tinyssb): 3 of 3 seeds converged')
    expect(r.out.join('\n')).toMatch(/convergence \(ticks\)\s+[\d.]+\s+[\d.]+\s+[\d.]+/)
    expect(r.out.join('\n')).toMatch(/multiplier/)
  })

  it('--json: one object with the figures and per_seed results; --seed picks the first seed; --trace writes JSON lines', async () => {
    const trace = join(dir, 'trace.jsonl')
    const r = await run('sim', file('ok.json', scenario), '--seeds', '2', '--seed', '7', '--json', '--trace', trace)
    expect(r.code).toBe(0)
    expect(r.out.filter(Boolean)).toHaveLength(1)
    const s = JSON.parse(r.out[0]!)
    expect(s).toMatchObject({ scenario: 'ok', protocol: 'tinyssb', seeds: 2, converged: 2 })
    for (const k of ['convergence_ticks', 'latency_ticks', 'frames', 'bytes', 'multiplier']) expect(Object.keys(s[k]).sort()).toEqual(['mean', 'median', 'p90'])
    expect(s.per_seed.map((x: { seed: number }) => x.seed)).toEqual([7, 8])
    const lines = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.some((e) => e.event === 'hold' && e.to === 'B' && e.item === 'A#1')).toBe(true)
    expect(Object.keys(lines[0]).slice(0, 7)).toEqual(['t', 'event', 'from', 'to', 'medium', 'bytes', 'tag'])
    expect(lines.filter((e) => e.event === 'tx')).toHaveLength(s.per_seed[0].frames)
  })

  const bad: Array<[string, unknown, RegExp]> = [
    ['an unknown node in a medium', { ...scenario, media: [{ type: 'link', nodes: ['A', 'X'] }] }, /media\[0\]\.nodes\[1\]: unknown node "X"/],
    ['a negative probability', { ...scenario, nodes: [{ name: 'A', send_reliability: -1 }, { name: 'B' }] }, /nodes\[0\]\.send_reliability: expected a number ≥ 0 ≤ 1, got -1/],
    ['a missing field', { ...scenario, ticks: undefined }, /ticks: missing/],
    ['an unknown protocol', { ...scenario, protocol: 'gossip' }, /protocol: unknown protocol "gossip"/],
    ['a file that is not JSON', '{"protocol": "tinyssb",', /not valid JSON/],
  ]
  for (const [what, content, message] of bad) {
    it(`a scenario with ${what}: one line, exit code 2`, async () => {
      const p = file(`bad-${what.replace(/\W+/g, '-')}.json`, content)
      const r = await run('sim', p)
      expect(r.code).toBe(2)
      const line = oneErrorLine(r.err)
      expect(line).toMatch(message)
      expect(line).toContain(p)
      expect(r.err.filter(Boolean)).toHaveLength(1)
    })
  }

  it('the built CLI: a bad scenario file is one line on stderr and exit code 2, never a stack trace', async () => {
    requireBuilt()
    const p = file('bad-child.json', { ...scenario, media: [{ type: 'broadcast', nodes: ['A', 'B'], loss: -0.5 }] })
    const r = await cli(['sim', p])
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.stderr)).toBe(`tinyssb: scenario ${p}: media[0].loss: expected a number ≥ 0 ≤ 1, got -0.5`)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
    const missing = await cli(['sim', join(dir, 'nope.json')])
    expect(missing.code).toBe(2)
    expect(oneErrorLine(missing.stderr)).toMatch(/no built-in scenario or file named/)
  })

  it('usage errors: no scenario, a bad --seeds', async () => {
    expect((await run('sim')).code).toBe(2)
    const r = await run('sim', 'relay', '--seeds', '0')
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/--seeds expects an integer ≥ 1/)
  })
})
