/**
 * `@tinyssb/sim/node` — the simulator on Node: built-in scenarios and scenario files, the shipped
 * protocol adapters by name, trace files, and `simulate` which ties them together for the CLI.
 * @packageDocumentation
 */
import type { ProtocolAdapter } from '../adapter.js'
import type { RunResult } from '../metrics.js'
import { runScenario } from '../run.js'
import type { Scenario } from '../scenario.js'
import { summarize, type Summary } from '../seeds.js'
import { ADAPTERS, adapterFor } from './adapters.js'
import { traceFile } from './trace-file.js'

export { ADAPTERS, adapterFor } from './adapters.js'
export {
  COMPARE_CASES,
  compare,
  variantScenario,
  type CompareCase,
  type CompareCaseResult,
  type CompareOptions,
  type CompareResult,
  type CompareRow,
  type CompareVariant,
} from './compare.js'
export { SCENARIOS_DIR, builtinScenarios, loadScenario } from './scenarios.js'
export { traceFile } from './trace-file.js'

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** How many seeds (default 1). */
  readonly seeds?: number
  /** The first seed (default the scenario's). */
  readonly seed?: number
  /** Write the first seed's trace to this file as JSON lines. */
  readonly traceFile?: string
  /** Called after each seed (a progress bar); a promise it returns is awaited. */
  readonly onSeed?: (done: number, total: number) => void | Promise<void>
  /** Called during a seed with its virtual time in ticks (a progress bar for long runs). */
  readonly onProgress?: (seedIndex: number, tick: number) => void
  /** Adapters by protocol name; default {@link ADAPTERS}. */
  readonly adapters?: ReadonlyMap<string, ProtocolAdapter>
}

/** Runs `scenario` over consecutive seeds with the adapter its protocol names. */
export async function simulate(scenario: Scenario, options: SimulateOptions = {}): Promise<{ results: RunResult[]; summary: Summary }> {
  const adapter = adapterFor(scenario, options.adapters ?? ADAPTERS)
  const n = options.seeds ?? 1
  const first = options.seed ?? scenario.seed
  const results: RunResult[] = []
  for (let i = 0; i < n; i++) {
    const trace = i === 0 && options.traceFile !== undefined ? traceFile(options.traceFile) : undefined
    try {
      const onProgress = options.onProgress && ((tick: number) => options.onProgress!(i, tick))
      results.push(await runScenario(scenario, adapter, { seed: (first + i) >>> 0, sinks: trace ? [trace.sink] : [], ...(onProgress ? { onProgress } : {}) }))
    } finally {
      trace?.close()
    }
    await options.onSeed?.(i + 1, n)
  }
  return { results, summary: summarize(scenario, results) }
}
