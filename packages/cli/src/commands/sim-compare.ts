// `tinyssb sim compare`: tinySSB and the MVDS variants on the same scenarios (S1, S2, S3 with and
// without C, S5, S6 of the MVDS issue), over the same seeds: a table per case, --json the figures,
// --report an HTML page with the tables and Vega-Lite charts.
import { COMPARE_CASES, compare } from '@tinyssb/sim/node'
import { intOption } from '../args.js'
import { defineCommand } from '../command.js'
import { terminalBar } from './sim.js'

export const simCompareCommand = defineCommand({
  flags: {
    seeds: { type: 'string', arg: 'N', default: '20', help: 'run every case and variant over seeds 1…N' },
    json: { type: 'boolean', help: 'print one JSON object {seeds, firstSeed, cases: [{id, scenario, title, rows: [{label, protocol, options, delivered, bytesPerDelivery, failed, summary}]}]}' },
    report: { type: 'string', arg: 'DIR', help: 'write an HTML report (tables and charts per case) and summary.json into DIR' },
  },
  description: [
    `Runs the built-in MVDS scenarios (${[...new Set(COMPARE_CASES.map((c) => c.scenario))].join(', ')}) with tinySSB and with ` +
      'MVDS batch and interactive under several backoff policies, reset on contact and de-duplication, over the same seeds, ' +
      'in the deterministic simulator. Figures per variant: seeds converged, share of (item, receiver) pairs delivered, ' +
      'per-item latency median and P90, convergence and quiescence (nothing left to retransmit), frames and bytes on air, ' +
      'the multiplier (frames ÷ items × receivers) and bytes on air per delivered pair. docs/mvds-vs-tinyssb.md discusses them.',
  ],
  examples: ['tinyssb sim compare --seeds 5', 'tinyssb sim compare --seeds 200 --report compare-report'],
  async run({ values: v }, io) {
    const seeds = intOption(v.seeds, 'seeds', 20, 1)
    const total = COMPARE_CASES.reduce((n, c) => n + c.variants.length, 0) * seeds
    const bar = terminalBar(io, total, `sim compare [{bar}] {percentage}% | {value}/{total} runs`)
    let result
    try {
      result = await compare({
        seeds,
        onRun: async (done) => {
          bar?.update(done)
          if (bar && done % 8 === 0) await new Promise((resolve) => setImmediate(resolve)) // let the terminal through
        },
      })
    } finally {
      bar?.stop()
    }
    const { COMPARE_COLUMNS, compareCells, writeCompareReport } = await import('@tinyssb/sim/report')
    if (v.report !== undefined) {
      const page = await writeCompareReport(v.report, result)
      if (!v.json) io.out(`report: ${page}`)
    }
    const { runs: _runs, ...figures } = result
    if (v.json) {
      io.out(JSON.stringify(figures))
      return 0
    }
    const width = Math.max(...result.cases.flatMap((c) => c.rows.map((r) => r.label.length)))
    const cols = COMPARE_COLUMNS.map((k) => Math.max(k.length, 10))
    for (const c of result.cases) {
      io.out('')
      io.out(`${c.title} (${c.scenario}, ${seeds} seed${seeds === 1 ? '' : 's'})`)
      io.out(['variant'.padEnd(width), ...COMPARE_COLUMNS.map((k, i) => k.padStart(cols[i]!))].join('  '))
      for (const r of c.rows) io.out([r.label.padEnd(width), ...compareCells(r).map((x, i) => x.padStart(cols[i]!))].join('  '))
      for (const r of c.rows) for (const f of r.failed) io.out(`  left out: ${r.label}, seed ${f.seed}: ${f.error}`)
    }
    return 0
  },
})
