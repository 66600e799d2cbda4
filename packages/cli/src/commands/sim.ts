// `tinyssb sim`: runs a scenario of the network simulator (@tinyssb/sim) over one or more seeds with
// the real protocol nodes, and prints the figures as a table or JSON; --trace writes the first
// seed's trace, --report an HTML page with charts. `tinyssb sim list` names the built-in scenarios.
import { SimError, type Summary } from '@tinyssb/sim'
import { builtinScenarios, loadScenario, simulate } from '@tinyssb/sim/node'
import cliProgress from 'cli-progress'
import { intOption } from '../args.js'
import { defineCommand } from '../command.js'
import { CliError } from '../errors.js'
import type { Io } from '../io.js'

const STATS: Array<[keyof Summary, string]> = [
  ['convergence_ticks', 'convergence (ticks)'],
  ['catchup_ticks', 'catch-up (ticks)'],
  ['quiescence_ticks', 'quiescence (ticks)'],
  ['latency_ticks', 'per-item latency (ticks)'],
  ['frames', 'frames on air'],
  ['bytes', 'bytes on air'],
  ['multiplier', 'multiplier'],
  ['efficiency', 'frames carrying items'],
]

export const simCommand = defineCommand({
  flags: {
    seeds: { type: 'string', arg: 'N', default: '1', help: 'run N seeds: S, S+1, …' },
    seed: { type: 'string', arg: 'S', help: 'the first seed', shownDefault: "the scenario's seed" },
    json: { type: 'boolean', help: 'print one JSON object with the figures (and per_seed results) instead of a table' },
    trace: { type: 'string', arg: 'FILE', help: "write the first seed's trace to FILE as JSON lines" },
    report: { type: 'string', arg: 'DIR', help: 'write an HTML report with charts (and summary.json) into DIR' },
  },
  args: 'SCENARIO',
  description: [
    'Runs SCENARIO — a built-in name (see "tinyssb sim list") or a JSON file in the format of the @tinyssb/sim ' +
      'README — in the deterministic network simulator, with the real protocol nodes on virtual time. The same ' +
      'scenario and seed always give the same figures and the same trace.',
    'Figures: seeds that converged (every node holds every item it should), convergence time and per-item latency ' +
      'in ticks, frames and bytes on air, the multiplier (frames ÷ items × receivers): median, mean and P90 over the seeds.',
  ],
  examples: ['tinyssb sim relay --seeds 20', 'tinyssb sim poc --seeds 5 --json', 'tinyssb sim lora-catchup --report sim-report'],
  async run({ values: v, positionals }, io) {
    if (positionals.length !== 1) throw new CliError('CLI_USAGE', `sim expects one SCENARIO (a built-in name or a file), got ${positionals.length}`)
    const seeds = intOption(v.seeds, 'seeds', 1, 1)
    const seed = v.seed === undefined ? undefined : intOption(v.seed, 'seed', 0, 0)
    let loaded
    try {
      loaded = loadScenario(positionals[0]!)
    } catch (err) {
      // a bad scenario is bad input: one line, exit code 2 (like a usage error, without the usage)
      if (err instanceof SimError) {
        io.err(`tinyssb: ${err.message}`)
        return 2
      }
      throw err
    }
    const { scenario } = loaded
    const bar = progressBar(io, seeds, scenario.ticks)
    let result
    try {
      result = await simulate(scenario, {
        seeds,
        ...(seed === undefined ? {} : { seed }),
        ...(v.trace === undefined ? {} : { traceFile: v.trace }),
        onProgress: (i, tick) => bar?.update(i + Math.min(1, tick / scenario.ticks)),
        onSeed: async (done) => {
          bar?.update(done)
          await new Promise((resolve) => setImmediate(resolve)) // let the terminal and signals through
        },
      })
    } catch (err) {
      if (err instanceof SimError && err.code === 'SIM_SCENARIO') {
        io.err(`tinyssb: ${err.message}`)
        return 2
      }
      throw err
    } finally {
      bar?.stop()
    }
    const { results, summary } = result
    if (v.report !== undefined) {
      const { writeReport } = await import('@tinyssb/sim/report')
      const page = await writeReport(v.report, scenario, results, summary)
      if (!v.json) io.out(`report: ${page}`)
    }
    if (v.json) io.out(JSON.stringify(summary))
    else for (const line of table(summary)) io.out(line)
    return 0
  },
})

export const simListCommand = defineCommand({
  flags: {
    json: { type: 'boolean', help: 'print one JSON array of {"name", "protocol", "description"}' },
  },
  description: ['Names the scenarios shipped with @tinyssb/sim, each with its protocol and description.'],
  examples: ['tinyssb sim list'],
  async run({ values: v }, io) {
    const list = builtinScenarios().map((name) => {
      const { scenario } = loadScenario(name)
      return { name, protocol: scenario.protocol, description: scenario.description }
    })
    if (v.json) io.out(JSON.stringify(list))
    else for (const s of list) io.out(`${s.name.padEnd(14)} ${s.protocol.padEnd(8)} ${s.description}`)
    return 0
  },
})

/** The figures as text: a title line, then median, mean and P90 of each figure. */
export function table(s: Summary): string[] {
  const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2))
  const lines = [`${s.scenario} (${s.protocol}): ${s.converged} of ${s.seeds} seed${s.seeds === 1 ? '' : 's'} converged`]
  lines.push(`${''.padEnd(26)}${'median'.padStart(12)}${'mean'.padStart(12)}${'P90'.padStart(12)}`)
  for (const [key, label] of STATS) {
    const st = s[key] as { median: number; mean: number; p90: number } | null
    if (st === null) continue
    lines.push(`${label.padEnd(26)}${fmt(st.median).padStart(12)}${fmt(st.mean).padStart(12)}${fmt(st.p90).padStart(12)}`)
  }
  return lines
}

/** A bar on stderr when both outputs are terminals; none otherwise. */
function progressBar(io: Io, seeds: number, ticks: number): { update(v: number): void; stop(): void } | undefined {
  const bar = terminalBar(io, seeds, `sim [{bar}] {percentage}% | seed {seed}/${seeds} | ${ticks} ticks each`)
  return bar && { update: (v) => bar.update(v, { seed: Math.min(seeds, Math.floor(v) + 1) }), stop: bar.stop }
}

/** A progress bar to `total` on stderr (cli-progress `format`) when both outputs are terminals. */
export function terminalBar(io: Io, total: number, format: string): { update(v: number, payload?: Record<string, unknown>): void; stop(): void } | undefined {
  if (!io.tty || !process.stderr.isTTY) return undefined
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format, hideCursor: false, gracefulExit: false }, cliProgress.Presets.shades_classic)
  bar.start(total, 0, { seed: 1 })
  return { update: (v, payload) => bar.update(v, payload ?? {}), stop: () => bar.stop() }
}
