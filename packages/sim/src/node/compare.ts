// tinySSB and the MVDS variants on the same scenarios (issue "@tinyssb/mvds", S1–S6): each case is a
// built-in scenario run once per variant with the variant's protocol and options, over the same seeds.
import { SimError } from '../errors.js'
import type { ProtocolAdapter } from '../adapter.js'
import type { RunResult } from '../metrics.js'
import { runScenario } from '../run.js'
import type { Scenario } from '../scenario.js'
import { summarize, type Summary } from '../seeds.js'
import { ADAPTERS, adapterFor } from './adapters.js'
import { loadScenario } from './scenarios.js'

/** One protocol configuration of a case. */
export interface CompareVariant {
  /** A short name for tables and charts, e.g. "MVDS batch, doubling + reset". */
  readonly label: string
  /** The scenario's `protocol` for this variant. */
  readonly protocol: string
  /** Its `protocol_options` (checked by the adapter). */
  readonly options?: Readonly<Record<string, unknown>>
}

/** One scenario and the variants run on it. */
export interface CompareCase {
  /** e.g. "S3". */
  readonly id: string
  /** A built-in scenario name (or a scenario file). */
  readonly scenario: string
  readonly title: string
  readonly variants: readonly CompareVariant[]
}

/** MVDS bodies padded to 48 bytes: the payload size of a tinySSB entry, so bytes compare. */
const PAD = { body_bytes: 48 }
const tinyssb: CompareVariant = { label: 'tinySSB', protocol: 'tinyssb' }
/** tinySSB asking once a tick (its default WANT interval is 10 s) — as often as MVDS's epoch here. */
const tinyssbFast: CompareVariant = { label: 'tinySSB, WANT every tick', protocol: 'tinyssb', options: { want_interval_ms: 1000 } }
const batch = (label: string, options: Record<string, unknown> = {}): CompareVariant => ({ label: `MVDS batch${label}`, protocol: 'mvds-batch', options: { ...PAD, ...options } })
const DOUBLING = { backoff: 'exponential' }
const RESET = { ...DOUBLING, reset_on_contact: true }
const BEACON = { ...RESET, contact_beacon: true }
/** S5 (and its drain run): A and B interactive, C batch, linear backoff, with and without de-duplication. */
const s5Linear: CompareVariant = { label: 'MVDS linear, dedupe on', protocol: 'mvds-interactive', options: { ...PAD, batch_nodes: ['C'], backoff: 'linear' } }
const s5LinearGo: CompareVariant = { label: 'MVDS linear, dedupe off (Go)', protocol: 'mvds-interactive', options: { ...PAD, batch_nodes: ['C'], backoff: 'linear', dedupe: false } }

/** The cases of `tinyssb sim compare`: the S1, S2, S3 (with and without C), S5 (600 epochs, and until delivered) and S6. */
export const COMPARE_CASES: readonly CompareCase[] = [
  {
    id: 'S1',
    scenario: 'mvds-s1',
    title: 'S1 sanity: A↔B lossless, latency 1, one message',
    variants: [tinyssb, batch(''), { label: 'MVDS interactive', protocol: 'mvds-interactive', options: PAD }],
  },
  {
    id: 'S2',
    scenario: 'mvds-s2',
    title: "S2 the PoC's first case: receive reliability 0.1 at A and B, constant retransmission",
    variants: [
      tinyssb,
      tinyssbFast,
      batch(', constant', { backoff: 'constant' }),
      { label: 'MVDS interactive, constant', protocol: 'mvds-interactive', options: { ...PAD, backoff: 'constant' } },
    ],
  },
  {
    id: 'S3',
    scenario: 'mvds-s3',
    title: 'S3 relay: A and B online 5 ticks in 50, never together; C always on',
    variants: [
      tinyssb,
      tinyssbFast,
      batch(', constant', { backoff: 'constant' }),
      batch(', linear', { backoff: 'linear' }),
      batch(', doubling', DOUBLING),
      batch(', doubling + reset on contact', RESET),
      batch(', doubling + reset + beacon', BEACON),
    ],
  },
  {
    id: 'S3-no-C',
    scenario: 'mvds-s3-no-c',
    title: 'S3 without C: A and B never meet',
    variants: [tinyssb, batch(', constant', { backoff: 'constant' })],
  },
  {
    id: 'S5',
    scenario: 'mvds-s5',
    title: "S5 the Go simulator's defaults: 3 nodes, 90 % send loss, 2 interactive + 1 batch, a message every 5 s",
    variants: [
      tinyssb,
      tinyssbFast,
      s5Linear,
      s5LinearGo,
      { label: 'MVDS 2019 Go schedule, dedupe off', protocol: 'mvds-interactive', options: { ...PAD, batch_nodes: ['C'], backoff: 'linear-cumulative', dedupe: false } },
    ],
  },
  {
    id: 'S5-drain',
    scenario: 'mvds-s5-drain',
    title: 'S5 until every message is delivered (at most 3000 epochs): latency not cut off at 600',
    variants: [
      tinyssb,
      s5Linear,
      s5LinearGo,
    ],
  },
  {
    id: 'S6',
    scenario: 'mvds-s6',
    title: 'S6 catch-up: 100 messages, B online 20 ticks in 100 from tick 50, 20 % loss',
    variants: [
      tinyssb,
      tinyssbFast,
      batch(', constant', { backoff: 'constant' }),
      batch(', linear', { backoff: 'linear' }),
      batch(', doubling', DOUBLING),
      batch(', doubling + reset + beacon', BEACON),
    ],
  },
]

/** One variant's figures on one case. */
export interface CompareRow {
  readonly label: string
  readonly protocol: string
  readonly options: Readonly<Record<string, unknown>>
  /** Share of the (item, receiver) pairs of all seeds that were delivered. */
  readonly delivered: number
  /** Bytes on air per delivered (item, receiver) pair, over all seeds; null when none was delivered. */
  readonly bytesPerDelivery: number | null
  /** Seeds whose run the simulator stopped (SIM_RUNAWAY: a protocol rescheduling itself at once); not in the figures. */
  readonly failed: ReadonlyArray<{ readonly seed: number; readonly error: string }>
  /** The figures over the seeds, without per_seed. */
  readonly summary: Omit<Summary, 'per_seed'>
}

/** One case's figures. */
export interface CompareCaseResult {
  readonly id: string
  readonly scenario: string
  readonly title: string
  readonly tickMs: number
  readonly rows: readonly CompareRow[]
}

/** What {@link compare} returns: the figures, and (for the report) every run and the scenarios run. */
export interface CompareResult {
  readonly seeds: number
  readonly firstSeed: number
  readonly cases: readonly CompareCaseResult[]
  /** Runs per case and variant, in order (the report's charts). */
  readonly runs: ReadonlyArray<ReadonlyArray<{ readonly scenario: Scenario; readonly results: readonly RunResult[] }>>
}

/** Options of {@link compare}. */
export interface CompareOptions {
  /** Seeds per case and variant (default 20). */
  readonly seeds?: number
  /** The first seed (default 1). */
  readonly seed?: number
  /** Default {@link COMPARE_CASES}. */
  readonly cases?: readonly CompareCase[]
  /** Adapters by protocol name; default {@link ADAPTERS}. */
  readonly adapters?: ReadonlyMap<string, ProtocolAdapter>
  /** After each run (a progress bar); a promise it returns is awaited. */
  readonly onRun?: (done: number, total: number) => void | Promise<void>
}

/** The scenario of a case run with a variant's protocol and options. @throws ScenarioError for a bad option. */
export function variantScenario(base: Scenario, v: CompareVariant, source: string, adapters: ReadonlyMap<string, ProtocolAdapter> = ADAPTERS): Scenario {
  const s: Scenario = { ...base, protocol: v.protocol, protocolOptions: { ...v.options } }
  adapterFor(s, adapters, source)
  return s
}

/** Runs every case with every variant over the same seeds. */
export async function compare(options: CompareOptions = {}): Promise<CompareResult> {
  const cases = options.cases ?? COMPARE_CASES
  const seeds = options.seeds ?? 20
  const first = options.seed ?? 1
  const adapters = options.adapters ?? ADAPTERS
  const plans = cases.map((c) => {
    const { scenario, source } = loadScenario(c.scenario, adapters)
    return { c, variants: c.variants.map((v) => ({ v, scenario: variantScenario(scenario, v, source, adapters) })) }
  })
  const total = plans.reduce((n, p) => n + p.variants.length, 0) * seeds
  let done = 0
  const runs: Array<Array<{ scenario: Scenario; results: RunResult[] }>> = []
  const out: CompareCaseResult[] = []
  for (const { c, variants } of plans) {
    const caseRuns: Array<{ scenario: Scenario; results: RunResult[] }> = []
    const rows: CompareRow[] = []
    for (const { v, scenario } of variants) {
      const adapter = adapters.get(v.protocol)!
      const results: RunResult[] = []
      const failed: Array<{ seed: number; error: string }> = []
      for (let i = 0; i < seeds; i++) {
        const seed = (first + i) >>> 0
        try {
          results.push(await runScenario(scenario, adapter, { seed }))
        } catch (err) {
          // a protocol bug in one seed is reported with the figures, not allowed to hide the others
          if (!(err instanceof SimError && err.code === 'SIM_RUNAWAY')) throw err
          failed.push({ seed, error: `${err.code}: ${err.message}` })
        }
        await options.onRun?.(++done, total)
      }
      const { per_seed: _perSeed, ...summary } = summarize(scenario, results)
      const pairs = results.reduce((n, r) => n + r.pairs, 0)
      const delivered = pairs === 0 ? 1 : Math.round((results.reduce((n, r) => n + r.delivered, 0) / pairs) * 1e4) / 1e4
      const got = results.reduce((n, r) => n + r.delivered, 0)
      const bytesPerDelivery = got === 0 ? null : Math.round(results.reduce((n, r) => n + r.bytes, 0) / got)
      rows.push({ label: v.label, protocol: v.protocol, options: scenario.protocolOptions, delivered, bytesPerDelivery, failed, summary })
      caseRuns.push({ scenario, results })
    }
    out.push({ id: c.id, scenario: c.scenario, title: c.title, tickMs: variants[0]?.scenario.tickMs ?? 1000, rows })
    runs.push(caseRuns)
  }
  return { seeds, firstSeed: first, cases: out, runs }
}
