/**
 * `@tinyssb/sim/report` — an HTML page of a simulation: the figures over all seeds, the cumulative
 * delivery with its seed band, and one seed's timeline of availability and frames on air. Charts
 * are Vega-Lite specifications rendered to SVG in Node (no browser, no script in the page).
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseVega, View } from 'vega'
import { compile } from 'vega-lite'
import type { RunResult } from '../metrics.js'
import type { CompareResult } from '../node/compare.js'
import type { Scenario } from '../scenario.js'
import type { Summary } from '../seeds.js'
import { deliveryChart, timelineChart, type VegaLiteSpec } from './charts.js'
import { compareDeliveryChart, compareHtml, compareTrafficChart } from './compare.js'
import { reportHtml } from './html.js'

export { deliveryChart, deliveryRows, timelineChart, type VegaLiteSpec } from './charts.js'
export { COMPARE_COLUMNS, compareCells, compareDeliveryChart, compareTrafficChart } from './compare.js'

/** Renders a Vega-Lite specification to an SVG string. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // compile's types want the library's own spec type; ours is built to it
  const vega = compile(spec as unknown as Parameters<typeof compile>[0]).spec
  const view = new View(parseVega(vega), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** The report page of `results` (runs of `scenario`) as one self-contained HTML string. */
export async function renderReport(scenario: Scenario, results: readonly RunResult[], summary: Summary): Promise<string> {
  const charts = [await renderSvg(deliveryChart(results))]
  if (results[0]) charts.push(await renderSvg(timelineChart(scenario, results[0])))
  return reportHtml(scenario, summary, charts)
}

/**
 * Writes `index.html` (the report) and `summary.json` (the figures) into `dir` (created if needed).
 * @returns the path of index.html.
 */
export async function writeReport(dir: string, scenario: Scenario, results: readonly RunResult[], summary: Summary): Promise<string> {
  mkdirSync(dir, { recursive: true })
  const page = join(dir, 'index.html')
  writeFileSync(page, await renderReport(scenario, results, summary))
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`)
  return page
}

/** The comparison page of `tinyssb sim compare` as one self-contained HTML string. */
export async function renderCompareReport(result: CompareResult): Promise<string> {
  const charts: string[][] = []
  for (const [i, c] of result.cases.entries()) {
    charts.push([await renderSvg(compareDeliveryChart(c, result.runs[i] ?? [])), await renderSvg(compareTrafficChart(c))])
  }
  return compareHtml(result, charts)
}

/**
 * Writes `index.html` (the comparison) and `summary.json` (the figures of every case and variant)
 * into `dir` (created if needed).
 * @returns the path of index.html.
 */
export async function writeCompareReport(dir: string, result: CompareResult): Promise<string> {
  mkdirSync(dir, { recursive: true })
  const page = join(dir, 'index.html')
  writeFileSync(page, await renderCompareReport(result))
  const { runs: _runs, ...figures } = result
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(figures, null, 2)}\n`)
  return page
}
