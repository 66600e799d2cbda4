/**
 * @tinyssb/sim — a deterministic discrete-event network simulator that runs real protocol nodes
 * (through adapters) on virtual time: link and broadcast media with loss, latency, duplication,
 * reordering, LoRa airtime and collisions; node availability models; paced faces; a trace of every
 * frame; convergence, latency and traffic figures over many seeds. The core imports only
 * @tinyssb/core and @tinyssb/pacing and runs in browsers; protocol adapters are separate entry
 * points (`@tinyssb/sim/tinyssb`), file loading and built-in scenarios are in `@tinyssb/sim/node`,
 * HTML reports in `@tinyssb/sim/report`.
 * @packageDocumentation
 */
export { SimError, ScenarioError, type SimErrorCode } from './errors.js'
export type { Scenario, NodeSpec, MediumSpec, AppendSpec, Availability, Latency, Pacing } from './scenario.js'
export { parseScenario } from './validate.js'
export { availabilityModel, onlineIntervals, type AvailabilityModel } from './availability.js'
export { Engine, MAX_EVENTS_PER_INSTANT, type EngineHooks } from './engine.js'
export { Medium, type SimFace } from './medium.js'
export { stream, availabilitySeed } from './world.js'
export type { ProtocolAdapter, ProtocolRun, ProtocolNode, NodeContext, RunContext, SimLink } from './adapter.js'
export { runScenario, type RunOptions } from './run.js'
export { runSeeds, summarize, type Summary, type SeedResult, type SeedsOptions } from './seeds.js'
export { MetricsCollector, TIMELINE_NODES, type RunResult, type RunSeries, type Traffic } from './metrics.js'
export { stat, quantile, type Stat } from './stats.js'
export { jsonLinesSink, hashSink, traceLine, type TraceEvent, type TraceSink, type DropReason } from './trace.js'
export { randomGraph } from './topology.js'
export { floodAdapter } from './adapters/flood.js'
