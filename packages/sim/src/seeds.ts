// Many seeds of one scenario, and their summary: how many converged, and median, mean and P90 of
// convergence, per-item latency, frames, bytes and the multiplier.
import type { ProtocolAdapter } from './adapter.js'
import type { RunResult } from './metrics.js'
import { runScenario } from './run.js'
import type { Scenario } from './scenario.js'
import { stat, type Stat } from './stats.js'

/** The figures of a scenario over several seeds (the `--json` output of `tinyssb sim`). */
export interface Summary {
  readonly scenario: string
  readonly protocol: string
  readonly seeds: number
  /** Seeds that converged. */
  readonly converged: number
  /** Over the converged seeds. */
  readonly convergence_ticks: Stat | null
  /** Over the converged seeds, when the scenario has a measure_from. */
  readonly catchup_ticks: Stat | null
  /** Over the seeds that became quiescent (protocols whose nodes say when they are quiet). */
  readonly quiescence_ticks: Stat | null
  /** Over every delivered (item, receiver) pair of every seed. */
  readonly latency_ticks: Stat | null
  readonly frames: Stat | null
  readonly bytes: Stat | null
  readonly multiplier: Stat | null
  readonly efficiency: Stat | null
  readonly per_seed: readonly SeedResult[]
}

/** One seed's figures as printed: a RunResult without its chart series. */
export type SeedResult = Omit<RunResult, 'series'>

/** Options of {@link runSeeds}. */
export interface SeedsOptions {
  /** How many seeds; default 1. */
  readonly seeds?: number
  /** The first seed (then +1, +2, …); default the scenario's. */
  readonly seed?: number
  /** Called after each seed (for a progress bar). */
  readonly onSeed?: (done: number, total: number, result: RunResult) => void
}

/** Runs seeds one after the other; returns every run's result. */
export async function runSeeds(scenario: Scenario, adapter: ProtocolAdapter, options: SeedsOptions = {}): Promise<RunResult[]> {
  const n = options.seeds ?? 1
  const first = options.seed ?? scenario.seed
  const results: RunResult[] = []
  for (let i = 0; i < n; i++) {
    const r = await runScenario(scenario, adapter, { seed: (first + i) >>> 0 })
    results.push(r)
    options.onSeed?.(i + 1, n, r)
  }
  return results
}

/** The summary of runs of `scenario`. */
export function summarize(scenario: Scenario, results: readonly RunResult[]): Summary {
  const ok = results.filter((r) => r.converged)
  const num = (xs: ReadonlyArray<number | null>): number[] => xs.filter((x): x is number => x !== null)
  return {
    scenario: scenario.name,
    protocol: scenario.protocol,
    seeds: results.length,
    converged: ok.length,
    convergence_ticks: stat(num(ok.map((r) => r.convergence_ticks))),
    catchup_ticks: scenario.measureFrom > 0 ? stat(num(ok.map((r) => r.catchup_ticks))) : null,
    quiescence_ticks: stat(num(results.map((r) => r.quiescence_ticks))),
    latency_ticks: stat(results.flatMap((r) => r.series.latencies)),
    frames: stat(results.map((r) => r.frames)),
    bytes: stat(results.map((r) => r.bytes)),
    multiplier: stat(num(results.map((r) => r.multiplier))),
    efficiency: stat(num(results.map((r) => r.efficiency))),
    per_seed: results.map(({ series: _series, ...rest }) => rest),
  }
}
