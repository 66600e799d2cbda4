// The HTML report: Vega-Lite charts rendered to SVG in Node, and a page that opens in headless
// Chromium without a console error.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireCommand } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { tinyssbAdapter } from '../src/adapters/tinyssb.js'
import { MetricsCollector, runSeeds, summarize } from '../src/index.js'
import { loadScenario } from '../src/node/index.js'
import { deliveryChart, renderSvg, timelineChart, writeReport } from '../src/report/index.js'
import { chromiumProblems, collect } from './helpers.js'

describe('report', () => {
  it('charts: cumulative delivery with the seed band, availability timeline with frames on air', async () => {
    const { scenario } = loadScenario('relay')
    const results = await runSeeds(scenario, tinyssbAdapter, { seeds: 4 })
    const delivery = deliveryChart(results) as { data: { values: Array<{ t: number; median: number; lo: number; hi: number }> } }
    const rows = delivery.data.values
    expect(rows[0]!.median).toBe(0)
    expect(rows[rows.length - 1]!.median).toBe(1)
    expect(rows.every((r) => r.lo <= r.median && r.median <= r.hi)).toBe(true)
    const timeline = timelineChart(scenario, results[0]!) as { vconcat: Array<{ layer?: Array<{ data: { values: Array<{ node: string; from: number; to: number }> } }> }> }
    const online = timeline.vconcat[0]!.layer![0]!.data.values
    const end = results[0]!.end_ticks
    expect(online.filter((r) => r.node === 'B')).toEqual([25, 75, 125, 175].filter((t) => t < end).map((t) => ({ node: 'B', from: t, to: Math.min(t + 5, Math.round(end * 1000) / 1000) })))
    const svg = await renderSvg(deliveryChart(results))
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('Cumulative delivery')
  })

  it('the page renders in headless Chromium without console errors', async () => {
    requireCommand('chromium', 'the report test')
    const { scenario } = loadScenario('lora-catchup')
    const results = await runSeeds(scenario, tinyssbAdapter, { seeds: 2 })
    const dir = mkdtempSync(join(tmpdir(), 'sim-report-'))
    const page = await writeReport(dir, scenario, results, summarize(scenario, results))
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).seeds).toBe(2)
    const problems = await chromiumProblems(page, async (tab) => {
      expect(await tab.locator('svg').count()).toBe(2)
      expect(await tab.locator('h1').innerText()).toContain('lora-catchup')
      expect(await tab.locator('table tr').count()).toBeGreaterThan(4)
    })
    expect(problems).toEqual([])
  }, 60_000)

  it('the figures can be computed again from the trace alone', async () => {
    const { scenario } = loadScenario('poc')
    const trace = collect()
    const [live] = await runSeeds(scenario, tinyssbAdapter, { seeds: 1 })
    const { runScenario } = await import('../src/index.js')
    await runScenario(scenario, tinyssbAdapter, { seed: live!.seed, sinks: [trace.sink] })
    const again = new MetricsCollector(scenario.replicate, 2, tinyssbAdapter.dataTags, scenario.measureFrom)
    for (const ev of trace.events) again.sink(ev)
    const { series: _s, ...fromTrace } = again.result(live!.seed, live!.end_ticks, live!.events)
    const { series: _l, per_node, ...liveFigures } = live!
    expect({ ...fromTrace, per_node: undefined }).toEqual({ ...liveFigures, per_node: undefined })
    expect(fromTrace.per_node).toEqual(per_node)
  })
})
