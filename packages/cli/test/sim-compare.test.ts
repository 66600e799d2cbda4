// `tinyssb sim compare`: tinySSB and the MVDS variants on the MVDS scenarios, one seed here: the
// table, --json figures (S1's exact payload counts, S3 without C never delivering) and --report.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COMPARE_CASES } from '@tinyssb/sim/node'
import { describe, expect, it } from 'vitest'
import { oneErrorLine, run } from './helpers.js'

interface Row {
  label: string
  protocol: string
  delivered: number
  bytesPerDelivery: number | null
  summary: { converged: number; seeds: number; frames: { median: number }; quiescence_ticks: { median: number } | null; latency_ticks: { median: number; p90: number } | null }
}

describe('tinyssb sim compare', () => {
  it('--json: every case with every variant; the figures of S1 and S3 without C', async () => {
    const r = await run('sim', 'compare', '--seeds', '1', '--json')
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(r.out.filter(Boolean)).toHaveLength(1)
    const out = JSON.parse(r.out[0]!) as { seeds: number; cases: Array<{ id: string; rows: Row[] }> }
    expect(out.seeds).toBe(1)
    expect(out.cases.map((c) => c.id)).toEqual(COMPARE_CASES.map((c) => c.id))
    for (const [i, c] of out.cases.entries()) expect(c.rows.map((x) => x.label)).toEqual(COMPARE_CASES[i]!.variants.map((v) => v.label))
    const s1 = Object.fromEntries(out.cases.find((c) => c.id === 'S1')!.rows.map((x) => [x.label, x]))
    expect(s1['MVDS batch']!.summary.frames.median).toBe(2)
    expect(s1['MVDS interactive']!.summary.frames.median).toBe(4)
    expect(s1['MVDS batch']!.summary.quiescence_ticks!.median).toBe(3)
    expect(s1['tinySSB']!.summary.quiescence_ticks).toBeNull() // tinySSB never stops asking
    for (const x of out.cases.find((c) => c.id === 'S3-no-C')!.rows) expect([x.summary.converged, x.delivered, x.bytesPerDelivery]).toEqual([0, 0, null])
  }, 60_000)

  it('prints a table per case; --report writes the page with two charts per case and summary.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-compare-'))
    const r = await run('sim', 'compare', '--seeds', '1', '--report', dir)
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(r.out[0]).toBe(`report: ${join(dir, 'index.html')}`)
    const text = r.out.join('\n')
    expect(text).toMatch(/^S1 sanity: .*\(mvds-s1, 1 seed\)$/m)
    expect(text).toMatch(/^variant +converged +delivered +latency median +latency P90 /m)
    expect(text).toMatch(/^MVDS batch +1\/1 +100 % +1 +1 +2 +3 +2 /m)
    const html = readFileSync(join(dir, 'index.html'), 'utf8')
    expect(html.match(/<svg/g)).toHaveLength(2 * COMPARE_CASES.length)
    expect(html).not.toContain('<script')
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { cases: unknown[]; runs?: unknown }
    expect(summary.cases).toHaveLength(COMPARE_CASES.length)
    expect(summary.runs).toBeUndefined()
  }, 60_000)

  it('a bad --seeds is a usage error', async () => {
    const r = await run('sim', 'compare', '--seeds', '0')
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/--seeds expects an integer ≥ 1/)
  })
})
