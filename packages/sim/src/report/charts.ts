// The report's charts as Vega-Lite specifications (data inlined), built from the runs' series.
import { onlineIntervals } from '../availability.js'
import type { RunResult } from '../metrics.js'
import type { Scenario } from '../scenario.js'
import { quantile } from '../stats.js'
import { availabilitySeed } from '../world.js'

/** A Vega-Lite specification (kept loose: the library checks it). */
export type VegaLiteSpec = Record<string, unknown>

/** The Vega-Lite schema the specifications are written to. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json'
const POINTS = 120

/**
 * Cumulative delivery: the share of (item, receiver) pairs delivered by tick t; the median over
 * seeds as a line, the band from the 10th to the 90th percentile of the seeds.
 */
export function deliveryChart(results: readonly RunResult[]): VegaLiteSpec {
  const rows = deliveryRows(results, Math.max(1, ...results.map((r) => r.end_ticks)))
  return {
    $schema: SCHEMA,
    title: `Cumulative delivery (${results.length} seed${results.length === 1 ? '' : 's'}: median, band P10–P90)`,
    width: 640,
    height: 260,
    data: { values: rows },
    encoding: { x: { field: 't', type: 'quantitative', title: 'tick' } },
    layer: [
      { mark: { type: 'area', opacity: 0.25, color: '#4c78a8' }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'share of (item, receiver) pairs delivered', scale: { domain: [0, 1] } }, y2: { field: 'hi' } } },
      { mark: { type: 'line', color: '#4c78a8', interpolate: 'step-after' }, encoding: { y: { field: 'median', type: 'quantitative' } } },
    ],
  }
}

/**
 * The share of (item, receiver) pairs delivered by tick t, at POINTS + 1 times from 0 to `end`:
 * median, 10th and 90th percentile over the runs.
 */
export function deliveryRows(results: readonly RunResult[], end: number): Array<{ t: number; median: number; lo: number; hi: number }> {
  const rows: Array<{ t: number; median: number; lo: number; hi: number }> = []
  for (let i = 0; i <= POINTS; i++) {
    const t = (end * i) / POINTS
    const shares = results
      .map((r) => (r.pairs === 0 ? 1 : countAtMost(r.series.holds, t) / r.pairs))
      .sort((a, b) => a - b)
    rows.push({ t: round(t), median: quantile(shares, 0.5), lo: quantile(shares, 0.1), hi: quantile(shares, 0.9) })
  }
  return rows
}

/**
 * One seed's timeline: when each node (the first 20) was online, with the frames it put on air
 * (circles, area by count per bin); below, all frames on air per bin.
 */
export function timelineChart(scenario: Scenario, run: RunResult): VegaLiteSpec {
  const end = Math.max(1, run.end_ticks)
  const bin = Math.max(1, Math.ceil(end / 200))
  const nodes = Object.keys(run.series.txPerNodeTick)
  const online = nodes.flatMap((name) => {
    const spec = scenario.nodes.find((n) => n.name === name)!
    return onlineIntervals(spec.availability, availabilitySeed(run.seed, name), end, 2_000).map(([from, to]) => ({ node: name, from: round(from), to: round(to) }))
  })
  const frames = nodes.flatMap((name) => binned(run.series.txPerNodeTick[name]!, bin).map((n, i) => ({ node: name, t: i * bin, frames: n }))).filter((r) => r.frames > 0)
  const total = binned(run.series.txPerTick, bin).map((n, i) => ({ t: i * bin, frames: n }))
  const x = { field: 't', type: 'quantitative', title: 'tick', scale: { domain: [0, end] } }
  const more = scenario.nodes.length > nodes.length ? ` (first ${nodes.length} of ${scenario.nodes.length} nodes)` : ''
  return {
    $schema: SCHEMA,
    title: `Seed ${run.seed}: availability and frames on air${more}, bins of ${bin} tick${bin === 1 ? '' : 's'}`,
    vconcat: [
      {
        width: 640,
        height: Math.max(60, 22 * nodes.length),
        layer: [
          {
            data: { values: online },
            mark: { type: 'bar', opacity: 0.35, color: '#54a24b' },
            encoding: { y: { field: 'node', type: 'nominal', sort: nodes, title: 'node (green: online)' }, x: { ...x, field: 'from' }, x2: { field: 'to' } },
          },
          {
            data: { values: frames },
            mark: { type: 'circle', color: '#e45756' },
            encoding: { y: { field: 'node', type: 'nominal', sort: nodes }, x, size: { field: 'frames', type: 'quantitative', title: 'frames sent' } },
          },
        ],
      },
      {
        width: 640,
        height: 120,
        data: { values: total },
        mark: { type: 'bar', color: '#e45756' },
        encoding: { x, y: { field: 'frames', type: 'quantitative', title: 'frames on air' } },
      },
    ],
  }
}

function countAtMost(sorted: readonly number[], t: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid]! <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

function binned(counts: readonly number[], bin: number): number[] {
  const out: number[] = []
  counts.forEach((n, i) => {
    const k = Math.floor(i / bin)
    out[k] = (out[k] ?? 0) + n
  })
  for (let i = 0; i < out.length; i++) out[i] ??= 0
  return out
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}
