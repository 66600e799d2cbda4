// The runtime pieces a run is made of: nodes with their streams and availability, and the
// context media and faces share (engine, trace, tick length).
import { deriveSeed, mulberry32, type Random } from '@tinyssb/core'
import { availabilityModel, type AvailabilityModel } from './availability.js'
import type { Engine } from './engine.js'
import type { NodeSpec } from './scenario.js'
import type { MetricsCollector } from './metrics.js'
import type { DropReason, TraceEvent, TraceSink } from './trace.js'

/**
 * Independent random streams, one per name: `node:A` (handed to A's protocol), `send:A`,
 * `recv:A`, `avail:A`, `medium:m1:A` (loss and latency of frames on m1 towards A), `pace:m1:A`.
 * Adding a node or a medium never changes what the others draw.
 */
export function stream(seed: number, name: string): Random {
  return mulberry32(deriveSeed(seed, name))
}

/** The seed of node `name`'s availability stream in a run with `seed`. */
export function availabilitySeed(seed: number, name: string): number {
  return deriveSeed(seed, `avail:${name}`)
}

/** A node of a run, as the media see it. */
export interface SimNode {
  readonly index: number
  readonly name: string
  readonly spec: NodeSpec
  readonly availability: AvailabilityModel
  readonly sendRandom: Random
  readonly recvRandom: Random
}

export function simNode(spec: NodeSpec, index: number, seed: number): SimNode {
  return {
    index,
    name: spec.name,
    spec,
    availability: availabilityModel(spec.availability, availabilitySeed(seed, spec.name)),
    sendRandom: stream(seed, `send:${spec.name}`),
    recvRandom: stream(seed, `recv:${spec.name}`),
  }
}

/** What media and faces share within a run. */
export interface World {
  readonly engine: Engine
  readonly seed: number
  readonly tickMs: number
  readonly nodes: ReadonlyMap<string, SimNode>
  /** The protocol's tag for a frame (e.g. 'entry', 'want'). */
  classify(frame: Uint8Array): string
  readonly recorder: Recorder
}

/**
 * Hands what happens to the metrics and, only when there are sinks, as trace records (no record
 * object is made for a run without a trace). Times come in ms and go out in ticks.
 */
export class Recorder {
  /** False once the run's figures are taken (the nodes' last steps are not counted). */
  on = true
  readonly #metrics: MetricsCollector
  readonly #sinks: readonly TraceSink[]
  readonly #tickMs: number

  constructor(metrics: MetricsCollector, sinks: readonly TraceSink[], tickMs: number) {
    this.#metrics = metrics
    this.#sinks = sinks
    this.#tickMs = tickMs
  }

  tx(ms: number, from: string, to: string | null, medium: string, bytes: number, tag: string): void {
    if (!this.on) return
    const t = ms / this.#tickMs
    this.#metrics.tx(t, from, bytes, tag)
    if (this.#sinks.length > 0) this.#emit({ t, event: 'tx', from, to, medium, bytes, tag })
  }

  rx(ms: number, from: string, to: string, medium: string, bytes: number, tag: string): void {
    if (this.on && this.#sinks.length > 0) this.#emit({ t: ms / this.#tickMs, event: 'rx', from, to, medium, bytes, tag })
  }

  drop(ms: number, from: string | null, to: string | null, medium: string, bytes: number, tag: string | null, reason: DropReason): void {
    if (!this.on) return
    this.#metrics.drop(reason)
    if (this.#sinks.length > 0) this.#emit({ t: ms / this.#tickMs, event: 'drop', from, to, medium, bytes, tag, reason })
  }

  append(ms: number, origin: string, item: string): void {
    if (!this.on) return
    const t = ms / this.#tickMs
    this.#metrics.append(t, origin, item)
    this.#emit({ t, event: 'append', from: origin, to: null, medium: null, bytes: 0, tag: null, item })
  }

  hold(ms: number, origin: string, holder: string, item: string): void {
    if (!this.on) return
    const t = ms / this.#tickMs
    this.#metrics.hold(t, origin, holder, item)
    this.#emit({ t, event: 'hold', from: origin, to: holder, medium: null, bytes: 0, tag: null, item })
  }

  /** Every node quiet (`true`) or some node busy again (`false`). */
  quiet(ms: number, quiet: boolean): void {
    if (!this.on) return
    const t = ms / this.#tickMs
    if (quiet) this.#metrics.quiet(t)
    else this.#metrics.busy(t)
    this.#emit({ t, event: quiet ? 'quiet' : 'busy', from: null, to: null, medium: null, bytes: 0, tag: null })
  }

  #emit(ev: TraceEvent): void {
    for (let i = 0; i < this.#sinks.length; i++) this.#sinks[i]!(ev)
  }
}

/** Virtual ms → ticks, as the trace and metrics count time. */
export function ticksOf(world: World, ms: number): number {
  return ms / world.tickMs
}
