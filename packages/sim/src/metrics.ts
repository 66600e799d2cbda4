// Metrics from the trace, collected as it is written: convergence (every node that should hold an
// item holds it), per-item latency (first hold minus append), frames and bytes on air per node and
// per tag, the multiplier and the link efficiency.
import { round, stat, type Stat } from './stats.js'
import type { DropReason, TraceEvent } from './trace.js'

/** Frames and bytes on air. */
export interface Traffic {
  frames: number
  bytes: number
}

/** The figures of one run (one seed). Times in ticks. */
export interface RunResult {
  readonly seed: number
  readonly converged: boolean
  /** When the last wanted item reached the last node that wanted it; null when not converged. */
  readonly convergence_ticks: number | null
  /** convergence − measure_from; null when not converged. */
  readonly catchup_ticks: number | null
  /**
   * When every node last became quiet (nothing left to retransmit) and stayed so to the end; null
   * when a node was still busy at the end, or the protocol's nodes do not say (tinySSB polls forever).
   */
  readonly quiescence_ticks: number | null
  /** Over (item, receiver) pairs that were delivered. */
  readonly latency_ticks: Stat | null
  /** (item, receiver) pairs delivered, of `pairs`. */
  readonly delivered: number
  readonly pairs: number
  readonly items: number
  /** Frames and bytes on air until the run stopped. */
  readonly frames: number
  readonly bytes: number
  /** frames ÷ (items × intended receivers); null without any pair. */
  readonly multiplier: number | null
  /** Share of frames on air from measure_from to the end that carry items (the adapter's data tags). */
  readonly efficiency: number | null
  /** When the run stopped, ticks. */
  readonly end_ticks: number
  readonly events: number
  readonly per_node: Record<string, Traffic>
  readonly per_tag: Record<string, Traffic>
  readonly drops: Partial<Record<DropReason, number>>
  /** Data for charts; not part of the JSON figures. */
  readonly series: RunSeries
}

/** Time series of one run, for the report's charts. */
export interface RunSeries {
  /** Sorted first-hold times of the wanted pairs (ticks). */
  readonly holds: number[]
  /** Frames on air per whole tick. */
  readonly txPerTick: number[]
  /** Latency of each delivered pair (ticks), in delivery order. */
  readonly latencies: number[]
  /** Frames on air per whole tick, for the first TIMELINE_NODES nodes (the report's timeline). */
  readonly txPerNodeTick: Record<string, number[]>
}

/** Nodes whose frames are counted per tick for timelines. */
export const TIMELINE_NODES = 20

/** Collects the metrics of one run from its trace records. */
export class MetricsCollector {
  readonly #receivers: ReadonlyMap<string, ReadonlySet<string>>
  readonly #appendAt = new Map<string, number>()
  readonly #dataTags: ReadonlySet<string>
  readonly #measureFrom: number
  readonly #totalAppends: number
  #appends = 0
  #pairs = 0
  #missing = 0
  readonly #latencies: number[] = []
  readonly #holds: number[] = []
  readonly #txPerTick: number[] = []
  readonly #txPerNodeTick: Record<string, number[]> = {}
  #frames = 0
  #bytes = 0
  #windowFrames = 0
  #windowData = 0
  readonly #perNode: Record<string, Traffic> = {}
  readonly #perTag: Record<string, Traffic> = {}
  readonly #drops: Partial<Record<DropReason, number>> = {}
  convergedAt: number | undefined
  /** When every node last became quiet; undefined while some node is busy or none ever said. */
  quietAt: number | undefined

  /**
   * @param replicate - for each node, the origins whose items it should hold.
   * @param totalAppends - items the scenario appends (convergence needs all of them).
   */
  constructor(
    replicate: Readonly<Record<string, readonly string[]>>,
    totalAppends: number,
    dataTags: readonly string[],
    measureFrom: number,
    timelineNodes: readonly string[] = [],
  ) {
    for (const n of timelineNodes.slice(0, TIMELINE_NODES)) this.#txPerNodeTick[n] = []
    const receivers = new Map<string, Set<string>>()
    for (const [node, origins] of Object.entries(replicate)) {
      for (const o of origins) {
        let s = receivers.get(o)
        if (!s) receivers.set(o, (s = new Set()))
        s.add(node)
      }
    }
    this.#receivers = receivers
    this.#totalAppends = totalAppends
    this.#dataTags = new Set(dataTags)
    this.#measureFrom = measureFrom
    if (totalAppends === 0) this.convergedAt = 0
  }

  /** A frame on air at tick `t`. */
  tx(t: number, from: string, bytes: number, tag: string): void {
    this.#frames++
    this.#bytes += bytes
    add(this.#perNode, from, bytes)
    add(this.#perTag, tag, bytes)
    const k = Math.floor(t)
    bump(this.#txPerTick, k)
    const perNode = this.#txPerNodeTick[from]
    if (perNode) bump(perNode, k)
    if (t >= this.#measureFrom) {
      this.#windowFrames++
      if (this.#dataTags.has(tag)) this.#windowData++
    }
  }

  drop(reason: DropReason): void {
    this.#drops[reason] = (this.#drops[reason] ?? 0) + 1
  }

  /** Item `item` of `origin` appended at tick `t`. */
  append(t: number, origin: string, item: string): void {
    this.#appends++
    this.#appendAt.set(item, t)
    const n = this.#receivers.get(origin)?.size ?? 0
    this.#pairs += n
    this.#missing += n
    this.#checkConverged(t)
  }

  /** `holder` holds `item` of `origin` for the first time at tick `t`. */
  hold(t: number, origin: string, holder: string, item: string): void {
    if (!this.#receivers.get(origin)?.has(holder)) return
    const at = this.#appendAt.get(item)
    if (at === undefined) return
    this.#latencies.push(t - at)
    this.#holds.push(t)
    this.#missing--
    this.#checkConverged(t)
  }

  /** Every node is quiet at tick `t` (some node was busy before). */
  quiet(t: number): void {
    this.quietAt = t
  }

  /** Some node has something to retransmit again at tick `t`. */
  busy(_t: number): void {
    this.quietAt = undefined
  }

  /** The same figures from trace records (e.g. a trace file read back). */
  readonly sink = (ev: TraceEvent): void => {
    if (ev.event === 'tx') this.tx(ev.t, ev.from!, ev.bytes, ev.tag!)
    else if (ev.event === 'drop') this.drop(ev.reason!)
    else if (ev.event === 'append') this.append(ev.t, ev.from!, ev.item!)
    else if (ev.event === 'hold') this.hold(ev.t, ev.from!, ev.to!, ev.item!)
    else if (ev.event === 'quiet') this.quiet(ev.t)
    else if (ev.event === 'busy') this.busy(ev.t)
  }

  #checkConverged(t: number): void {
    if (this.convergedAt === undefined && this.#missing === 0 && this.#appends === this.#totalAppends) this.convergedAt = t
  }

  /** The figures of the run that ended at `endTicks`. */
  result(seed: number, endTicks: number, events: number): RunResult {
    const converged = this.convergedAt !== undefined
    const convergence = converged ? round(this.convergedAt!) : null
    return {
      seed,
      converged,
      convergence_ticks: convergence,
      catchup_ticks: convergence === null ? null : round(convergence - this.#measureFrom),
      quiescence_ticks: this.quietAt === undefined ? null : round(this.quietAt),
      latency_ticks: stat(this.#latencies),
      delivered: this.#latencies.length,
      pairs: this.#pairs,
      items: this.#appends,
      frames: this.#frames,
      bytes: this.#bytes,
      multiplier: this.#pairs > 0 ? round(this.#frames / this.#pairs) : null,
      efficiency: this.#windowFrames > 0 ? round(this.#windowData / this.#windowFrames) : null,
      end_ticks: round(endTicks),
      events,
      per_node: this.#perNode,
      per_tag: this.#perTag,
      drops: this.#drops,
      series: {
        holds: [...this.#holds].sort((a, b) => a - b),
        txPerTick: this.#txPerTick,
        latencies: this.#latencies,
        txPerNodeTick: this.#txPerNodeTick,
      },
    }
  }
}

function bump(counts: number[], k: number): void {
  while (counts.length <= k) counts.push(0)
  counts[k]!++
}

function add(m: Record<string, Traffic>, key: string, bytes: number): void {
  const t = (m[key] ??= { frames: 0, bytes: 0 })
  t.frames++
  t.bytes += bytes
}
