// One run of a scenario with one seed: builds the world (engine, nodes, media, faces), creates the
// protocol nodes through the adapter, schedules starts and appends, runs, and returns the figures.
import type { Face } from '@tinyssb/core'
import type { NodeContext, ProtocolAdapter, ProtocolNode, SimLink } from './adapter.js'
import { Engine } from './engine.js'
import { SimError } from './errors.js'
import { airtimeMs } from './latency.js'
import { Medium } from './medium.js'
import { MetricsCollector, type RunResult } from './metrics.js'
import { KISS_PACING, LORA_PACING, pacedFace } from './pacing.js'
import type { MediumSpec, Scenario } from './scenario.js'
import type { TraceSink } from './trace.js'
import { Recorder, simNode, stream, ticksOf, type SimNode, type World } from './world.js'

/** Options of {@link runScenario}. */
export interface RunOptions {
  /** Default: the scenario's seed. */
  readonly seed?: number
  /** Extra consumers of the trace (a JSON lines writer, a hash). */
  readonly sinks?: readonly TraceSink[]
  /** Called now and then with the virtual time in ticks (a progress bar). */
  readonly onProgress?: (tick: number) => void
}

/**
 * Runs `scenario` once with the real protocol of `adapter`.
 * @throws SimError SIM_PROTOCOL when the adapter is not the scenario's protocol; SIM_RUNAWAY.
 */
export async function runScenario(scenario: Scenario, adapter: ProtocolAdapter, options: RunOptions = {}): Promise<RunResult> {
  if (adapter.name !== scenario.protocol) {
    throw new SimError('SIM_PROTOCOL', `scenario "${scenario.name}" is for protocol "${scenario.protocol}", not "${adapter.name}"`)
  }
  const seed = options.seed ?? scenario.seed
  const engine = new Engine()
  const totalAppends = scenario.appends.reduce((n, a) => n + a.count, 0)
  const metrics = new MetricsCollector(
    scenario.replicate,
    totalAppends,
    adapter.dataTags,
    scenario.measureFrom,
    scenario.nodes.map((n) => n.name),
  )
  const recorder = new Recorder(metrics, options.sinks ?? [], scenario.tickMs)
  const nodes = new Map<string, SimNode>()
  scenario.nodes.forEach((spec, i) => nodes.set(spec.name, simNode(spec, i, seed)))
  const protocol = await adapter.createRun({ scenario, seed, random: stream(seed, 'protocol') })
  const world: World = {
    engine,
    seed,
    tickMs: scenario.tickMs,
    nodes,
    classify: (frame) => protocol.classify(frame),
    recorder,
  }
  const media = scenario.media.map((m) => new Medium(m, world))
  const mediaOf = new Map<string, Medium[]>()
  for (const m of media) for (const n of m.spec.nodes) (mediaOf.get(n) ?? mediaOf.set(n, []).get(n)!).push(m)

  const wantedBy = new Map<string, string[]>()
  for (const [n, origins] of Object.entries(scenario.replicate)) for (const o of origins) (wantedBy.get(o) ?? wantedBy.set(o, []).get(o)!).push(n)

  const appended = new Map<string, number>()
  const holds = new Map<string, Set<string>>()
  const held = (holder: string, origin: string, seq: number): void => {
    if (!Number.isInteger(seq) || seq < 1 || seq > (appended.get(origin) ?? 0)) return
    const item = `${origin}#${seq}`
    let s = holds.get(holder)
    if (!s) holds.set(holder, (s = new Set()))
    if (s.has(item)) return
    s.add(item)
    recorder.hold(engine.now, origin, holder, item)
  }

  const protoNodes: ProtocolNode[] = []
  for (const node of nodes.values()) {
    const links: SimLink[] = (mediaOf.get(node.name) ?? []).map((m) => ({
      face: facePaced(m, node, engine, seed),
      medium: m.spec.name,
      type: m.spec.type,
      peers: m.peersOf(node.name),
    }))
    const ctx: NodeContext = {
      name: node.name,
      index: node.index,
      clock: engine.clock(node.index),
      random: stream(seed, `node:${node.name}`),
      faces: links.map((l) => l.face),
      links,
      tickMs: scenario.tickMs,
      wants: scenario.replicate[node.name] ?? [],
      wantedBy: wantedBy.get(node.name) ?? [],
      held: (origin, seq) => held(node.name, origin, seq),
      online: () => node.availability.online(engine.now / scenario.tickMs),
    }
    protoNodes.push(await protocol.createNode(ctx))
  }

  for (const [i, p] of protoNodes.entries()) engine.task(0, i, () => p.start())
  for (const a of scenario.appends) {
    const origin = nodes.get(a.node)!
    for (let k = 0; k < a.count; k++) {
      engine.task((a.at + k * a.every) * scenario.tickMs, origin.index, () => {
        const seq = (appended.get(a.node) ?? 0) + 1
        appended.set(a.node, seq)
        recorder.append(engine.now, a.node, `${a.node}#${seq}`)
        return protoNodes[origin.index]!.append(seq, a.bytes)
      })
    }
  }

  // Quiescence: after each event of a node that says whether it is quiet, the set of busy nodes.
  const busy = new Set<number>()
  let last = -1
  const checkQuiet = (): void => {
    const i = last
    const p = protoNodes[i]
    last = -1
    if (!p?.quiet) return
    const quiet = p.quiet()
    if (quiet === !busy.has(i)) return
    if (quiet) busy.delete(i)
    else busy.add(i)
    if (busy.size === (quiet ? 0 : 1)) recorder.quiet(engine.now, quiet)
  }
  let stopped = false
  const untilMs = scenario.ticks * scenario.tickMs
  await engine.run(untilMs, {
    settle: (i) => {
      last = i
      return protoNodes[i]!.settle?.()
    },
    done: () => {
      checkQuiet()
      if (scenario.stop === 'end' || metrics.convergedAt === undefined) return false
      return (stopped = scenario.stop === 'converged' || busy.size === 0)
    },
    progress: options.onProgress && ((ms) => options.onProgress!(ms / scenario.tickMs)),
  })
  const end = stopped ? engine.now : untilMs
  const result = metrics.result(seed, ticksOf(world, end), engine.events)
  // Stop the nodes; what they still had queued at this instant runs (unrecorded) so stop() can finish.
  recorder.on = false
  const stops: Promise<void>[] = []
  protoNodes.forEach((p, i) => engine.task(engine.now, i, () => void stops.push(p.stop())))
  await engine.run(engine.now)
  await Promise.all(stops)
  return result
}

/** The node's face on `m`, wrapped in the real pacedFace when the medium is paced. */
function facePaced(m: Medium, node: SimNode, engine: Engine, seed: number): Face {
  const face = m.face(node.name)
  const p = m.spec.pacing
  if (!p) return face
  const preset = p.preset === 'lora' ? LORA_PACING : p.preset === 'kiss' ? KISS_PACING : undefined
  const spec: MediumSpec = m.spec
  return pacedFace(face, {
    minGapMs: p.minGapMs ?? preset?.minGapMs ?? 0,
    jitterMs: p.jitterMs ?? preset?.jitterMs ?? 0,
    queueMax: p.queueMax,
    clock: engine.clock(node.index),
    random: stream(seed, `pace:${spec.name}:${node.name}`),
    airtime: p.dutyCycle === undefined ? undefined : { budget: p.dutyCycle, estimateMs: (n) => airtimeMs(spec.latency, n) ?? 0 },
  })
}
