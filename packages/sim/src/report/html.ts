// The report page: a figures table, the charts (inline SVG) and the scenario, with no script.
import type { Scenario } from '../scenario.js'
import type { Summary } from '../seeds.js'
import type { Stat } from '../stats.js'

const ROWS: Array<[keyof Summary, string]> = [
  ['convergence_ticks', 'convergence (ticks, converged seeds)'],
  ['catchup_ticks', 'catch-up after measure_from (ticks)'],
  ['quiescence_ticks', 'quiescence: nothing left to retransmit (ticks)'],
  ['latency_ticks', 'per-item latency (ticks)'],
  ['frames', 'frames on air'],
  ['bytes', 'bytes on air'],
  ['multiplier', 'multiplier (frames ÷ item·receivers)'],
  ['efficiency', 'share of frames carrying items'],
]

export function reportHtml(scenario: Scenario, summary: Summary, charts: readonly string[]): string {
  const rows = ROWS.filter(([k]) => summary[k] !== null)
    .map(([k, label]) => {
      const s = summary[k] as Stat
      return `<tr><th>${esc(label)}</th><td>${num(s.median)}</td><td>${num(s.mean)}</td><td>${num(s.p90)}</td></tr>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`tinyssb sim: ${scenario.name}`)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.8em; text-align: right; }
th:first-child { text-align: left; font-weight: normal; }
figure { margin: 1.5em 0; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em; }
</style>
</head>
<body>
<h1>${esc(scenario.name)} <small>(${esc(scenario.protocol)})</small></h1>
<p>${esc(scenario.description)}</p>
<p><strong>${summary.converged}</strong> of ${summary.seeds} seed${summary.seeds === 1 ? '' : 's'} converged; one tick is ${scenario.tickMs} ms.</p>
<table>
<tr><th></th><th>median</th><th>mean</th><th>P90</th></tr>
${rows}
</table>
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
<h2>Scenario</h2>
<pre>${esc(JSON.stringify(scenario, null, 2))}</pre>
</body>
</html>
`
}

/** A figure as text: integers as they are, others with 2 decimals. */
export function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2)
}

/** Text escaped for HTML. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
