// The report of `tinyssb sim compare`: per case a table of every variant's figures, the cumulative
// delivery of each variant (median over the seeds) and the frames and bytes on air, as Vega-Lite.
import type { RunResult } from '../metrics.js'
import type { CompareCaseResult, CompareResult, CompareRow } from '../node/compare.js'
import type { Stat } from '../stats.js'
import { SCHEMA, deliveryRows, type VegaLiteSpec } from './charts.js'
import { esc, num } from './html.js'

/** Cumulative delivery of each variant of a case: the median share over the seeds, one line each. */
export function compareDeliveryChart(c: CompareCaseResult, runs: ReadonlyArray<{ readonly results: readonly RunResult[] }>): VegaLiteSpec {
  const end = Math.max(1, ...runs.flatMap((r) => r.results.map((x) => x.end_ticks)))
  const values = runs.flatMap((r, i) => deliveryRows(r.results, end).map(({ t, median }) => ({ variant: c.rows[i]!.label, t, delivered: median })))
  return {
    $schema: SCHEMA,
    title: `${c.id}: cumulative delivery (median over seeds)`,
    width: 560,
    height: 220,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'tick' },
      y: { field: 'delivered', type: 'quantitative', title: 'share delivered', scale: { domain: [0, 1] } },
      color: { field: 'variant', type: 'nominal', sort: c.rows.map((r) => r.label), legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
    },
  }
}

/** Frames and bytes on air of each variant of a case (median over the seeds, bars). */
export function compareTrafficChart(c: CompareCaseResult): VegaLiteSpec {
  const values = c.rows.map((r) => ({ variant: r.label, frames: r.summary.frames?.median ?? 0, bytes: r.summary.bytes?.median ?? 0 }))
  const bar = (field: string, title: string) => ({
    width: 240,
    height: Math.max(60, 22 * values.length),
    mark: { type: 'bar', color: '#e45756' },
    encoding: {
      y: { field: 'variant', type: 'nominal', sort: c.rows.map((r) => r.label), title: null, axis: { labelLimit: 260 } },
      x: { field, type: 'quantitative', title },
    },
  })
  return {
    $schema: SCHEMA,
    title: `${c.id}: on air until the run stopped (median over seeds)`,
    data: { values },
    hconcat: [bar('frames', 'frames'), { ...bar('bytes', 'bytes'), encoding: { ...bar('bytes', 'bytes').encoding, y: { field: 'variant', type: 'nominal', sort: c.rows.map((r) => r.label), axis: null } } }],
  }
}

const COLUMNS: Array<[string, (r: CompareRow) => string]> = [
  ['converged', (r) => `${r.summary.converged}/${r.summary.seeds}${r.failed.length > 0 ? ` (${r.failed.length} failed)` : ''}`],
  ['delivered', (r) => `${num(Math.round(r.delivered * 1000) / 10)} %`],
  ['latency median', (r) => med(r.summary.latency_ticks)],
  ['latency P90', (r) => p90(r.summary.latency_ticks)],
  ['convergence median', (r) => med(r.summary.convergence_ticks)],
  ['quiescence median', (r) => med(r.summary.quiescence_ticks)],
  ['frames', (r) => med(r.summary.frames)],
  ['bytes', (r) => med(r.summary.bytes)],
  ['multiplier', (r) => med(r.summary.multiplier)],
  ['bytes/delivery', (r) => (r.bytesPerDelivery === null ? '—' : String(r.bytesPerDelivery))],
]

/** The columns of the comparison table (ticks; medians over seeds unless named). */
export const COMPARE_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name)

/** One row of the comparison table as text cells, in {@link COMPARE_COLUMNS} order. */
export function compareCells(r: CompareRow): string[] {
  return COLUMNS.map(([, f]) => f(r))
}

function med(s: Stat | null): string {
  return s === null ? '—' : num(s.median)
}
function p90(s: Stat | null): string {
  return s === null ? '—' : num(s.p90)
}

/** Seeds a run of which the simulator stopped, per variant (not in the figures). */
function failures(rows: readonly CompareRow[]): string {
  const items = rows.flatMap((r) => r.failed.map((f) => `<li>${esc(r.label)}, seed ${f.seed}: ${esc(f.error)}</li>`))
  return items.length === 0 ? '' : `<p>Runs stopped by the simulator (left out of the figures):</p>\n<ul>\n${items.join('\n')}\n</ul>`
}

/** The page: per case its table and charts (inline SVG), and how to run it again. */
export function compareHtml(result: CompareResult, charts: readonly (readonly string[])[]): string {
  const sections = result.cases.map((c, i) => {
    const head = `<tr><th>variant</th>${COMPARE_COLUMNS.map((k) => `<th>${esc(k)}</th>`).join('')}</tr>`
    const rows = c.rows.map((r) => `<tr><th>${esc(r.label)}<br><small>${esc(r.protocol)} ${esc(JSON.stringify(r.options).replace(/,/g, ', '))}</small></th>${compareCells(r).map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`)
    return `<section>
<h2>${esc(c.title)}</h2>
<p>Scenario <code>${esc(c.scenario)}</code> (<code>tinyssb sim ${esc(c.scenario)}</code>); one tick is ${c.tickMs} ms.</p>
<table>
${head}
${rows.join('\n')}
</table>
${failures(c.rows)}
${(charts[i] ?? []).map((svg) => `<figure>${svg}</figure>`).join('\n')}
</section>`
  })
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tinyssb sim compare: tinySSB and MVDS</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 80em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; }
tr th:first-child { text-align: left; font-weight: normal; max-width: 22em; }
small { color: #666; }
figure { margin: 1.5em 0; }
</style>
</head>
<body>
<h1>tinySSB and MVDS on the same scenarios</h1>
<p>${result.seeds} seed${result.seeds === 1 ? '' : 's'} per variant (${result.firstSeed}…${result.firstSeed + result.seeds - 1}). Times in ticks;
latency over every delivered (item, receiver) pair of every seed; convergence over converged seeds; the other figures are
medians over the seeds. Frames and bytes count until the run stopped (at quiescence for MVDS where the scenario says
<code>"stop": "quiet"</code>, at convergence for tinySSB, which never stops asking). Multiplier = frames ÷ (items × receivers); bytes/delivery = all bytes on air ÷ all delivered pairs.
Delivered: share of all (item, receiver) pairs delivered before the run stopped. Quiescence: when no node has anything
left to retransmit (— : never, or the protocol polls forever).</p>
${sections.join('\n')}
</body>
</html>
`
}
