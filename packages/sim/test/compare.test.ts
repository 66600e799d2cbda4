// compare(): the same scenario with several protocols over the same seeds, and its report page
// (tables and Vega-Lite charts) rendering in headless Chromium without console errors.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireCommand } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { ScenarioError, type ProtocolAdapter } from '../src/index.js'
import { ADAPTERS, COMPARE_CASES, compare, loadScenario, variantScenario, type CompareCase } from '../src/node/index.js'
import { compareCells, compareDeliveryChart, writeCompareReport } from '../src/report/index.js'
import { chromiumProblems } from './helpers.js'

const cases: CompareCase[] = [
  {
    id: 'S1',
    scenario: 'mvds-s1',
    title: 'sanity',
    variants: [
      { label: 'tinySSB', protocol: 'tinyssb' },
      { label: 'batch', protocol: 'mvds-batch' },
      { label: 'interactive', protocol: 'mvds-interactive' },
    ],
  },
  { id: 'S3-no-C', scenario: 'mvds-s3-no-c', title: 'no C', variants: [{ label: 'batch', protocol: 'mvds-batch', options: { backoff: 'constant' } }] },
]

describe('compare', () => {
  it('runs each variant of each case over the same seeds', async () => {
    const progress: number[] = []
    const r = await compare({ cases, seeds: 3, seed: 5, onRun: (done, total) => void progress.push(done / total) })
    expect(progress).toHaveLength(12)
    expect(progress.at(-1)).toBe(1)
    expect(r.firstSeed).toBe(5)
    const [s1, noC] = r.cases
    expect(s1!.rows.map((x) => [x.label, x.summary.frames!.median, x.delivered])).toEqual([
      ['tinySSB', 4, 1],
      ['batch', 2, 1],
      ['interactive', 4, 1],
    ])
    expect(r.runs[0]![1]!.results.map((x) => x.seed)).toEqual([5, 6, 7])
    expect(compareCells(noC!.rows[0]!).slice(0, 3)).toEqual(['0/3', '0 %', '—'])
    const chart = compareDeliveryChart(s1!, r.runs[0]!) as { data: { values: Array<{ variant: string; delivered: number }> } }
    expect(new Set(chart.data.values.map((v) => v.variant))).toEqual(new Set(['tinySSB', 'batch', 'interactive']))
    expect(chart.data.values.filter((v) => v.variant === 'batch').at(-1)!.delivered).toBe(1)
  })

  it('a run the simulator stops (SIM_RUNAWAY) is reported with its seed and left out of the figures', async () => {
    // on seed 2 a node reschedules itself without delay forever; on other seeds it holds nothing
    const runaway: ProtocolAdapter = {
      name: 'runaway',
      dataTags: [],
      createRun: ({ seed }) => ({
        classify: () => 'x',
        createNode: (ctx) => ({
          async start() {
            const loop = (): void => void ctx.clock.setTimeout(loop, 0)
            if (seed === 2) loop()
          },
          async append() {},
          holds: () => false,
          async stop() {},
        }),
      }),
    }
    const adapters = new Map([...ADAPTERS, ['runaway', runaway]])
    const r = await compare({ adapters, seeds: 3, cases: [{ id: 'X', scenario: 'mvds-s1', title: 'x', variants: [{ label: 'runaway', protocol: 'runaway' }] }] })
    const row = r.cases[0]!.rows[0]!
    expect(row.failed.map((f) => f.seed)).toEqual([2])
    expect(row.failed[0]!.error).toMatch(/^SIM_RUNAWAY: more than 1000000 events/)
    expect(row.summary.seeds).toBe(2)
    expect(compareCells(row)[0]).toBe('0/2 (1 failed)')
  })

  it('every built-in case validates with every variant; a bad option names the field', () => {
    for (const c of COMPARE_CASES) {
      const { scenario, source } = loadScenario(c.scenario)
      for (const v of c.variants) expect(variantScenario(scenario, v, source).protocol).toBe(v.protocol)
    }
    const { scenario } = loadScenario('mvds-s1')
    expect(() => variantScenario(scenario, { label: 'x', protocol: 'mvds-batch', options: { backoff: 'never' } }, 'mvds-s1')).toThrow(ScenarioError)
    expect(() => variantScenario(scenario, { label: 'x', protocol: 'mvds-batch', options: { backoff: 'never' } }, 'mvds-s1')).toThrow(/^scenario mvds-s1: protocol_options\.backoff: expected one of/)
  })

  it('the report renders in headless Chromium without console errors', async () => {
    requireCommand('chromium', 'the compare report test')
    const r = await compare({ cases, seeds: 2 })
    const page = await writeCompareReport(mkdtempSync(join(tmpdir(), 'sim-compare-')), r)
    const problems = await chromiumProblems(page, async (tab) => {
      expect(await tab.locator('section').count()).toBe(2)
      expect(await tab.locator('svg').count()).toBe(4)
      expect(await tab.locator('section').first().locator('table tr').count()).toBe(4)
    })
    expect(problems).toEqual([])
  }, 60_000)
})
