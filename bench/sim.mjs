// Simulator benchmark: events per second of the discrete-event engine (with the flood reference
// protocol and with real tinySSB nodes), and the built-in mesh-1000 scenario (1000 real tinySSB
// nodes) run to convergence: wall time, CPU time and peak memory against the simulator's goals
// (< 60 s wall, < 2 GB). Written to bench-results/sim.json with the goals beside the figures.
import { floodAdapter, parseScenario, runScenario } from '@tinyssb/sim'
import { loadScenario } from '@tinyssb/sim/node'
import { tinyssbAdapter } from '@tinyssb/sim/tinyssb'
import { fmt, save, table } from './lib.mjs'

const MESH = process.env.BENCH_SIM_SCENARIO ?? 'mesh-1000'

/** Runs `scenario` with `adapter` for each seed; events/s over all of them (wall and CPU). */
async function throughput(scenario, adapter, seeds) {
  let events = 0
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (const seed of seeds) events += (await runScenario(scenario, adapter, { seed })).events
  const wall = (performance.now() - t0) / 1000
  const c = process.cpuUsage(c0)
  return { events, wallSeconds: wall, eventsPerSecond: events / wall, eventsPerCpuSecond: events / ((c.user + c.system) / 1e6) }
}

// 1. the engine with a protocol that costs almost nothing: flood on the PoC's network for an hour
const floodPoc = parseScenario({
  name: 'flood-poc',
  protocol: 'flood',
  ticks: 3600,
  stop: 'end',
  nodes: [{ name: 'A', receive_reliability: 0.1 }, { name: 'B', receive_reliability: 0.1 }, { name: 'C' }],
  media: [{ type: 'link', nodes: ['A', 'B', 'C'], latency: { uniform: [1, 3] } }],
  appends: [{ node: 'A', at: 1 }, { node: 'B', at: 2 }],
  replicate: { '*': '*' },
})
await throughput(floodPoc, floodAdapter, [100]) // warm-up
const flood = await throughput(floodPoc, floodAdapter, [1, 2, 3, 4, 5])

// 2. real tinySSB nodes on the relay scenario, many seeds
const relay = loadScenario('relay').scenario
await throughput(relay, tinyssbAdapter, [100, 101])
const tiny = await throughput(relay, tinyssbAdapter, Array.from({ length: 50 }, (_, i) => i + 1))

// 3. mesh-1000 to convergence
const { scenario: mesh } = loadScenario(MESH)
let peakRss = process.memoryUsage().rss
const t0 = performance.now()
const c0 = process.cpuUsage()
const r = await runScenario(mesh, tinyssbAdapter, {
  seed: mesh.seed,
  onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
})
const meshWall = (performance.now() - t0) / 1000
const cu = process.cpuUsage(c0)
const meshCpu = (cu.user + cu.system) / 1e6
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
const gb = peakRss / 2 ** 30

const goals = [
  { name: `${MESH}: converged`, measured: r.converged, goal: 'true', met: r.converged },
  { name: `${MESH}: wall seconds to convergence`, measured: meshWall, goal: '< 60', met: meshWall < 60 },
  { name: `${MESH}: peak memory (GiB, RSS)`, measured: gb, goal: '< 2', met: gb < 2 },
]
const result = {
  scenario: MESH,
  nodes: mesh.nodes.length,
  media: mesh.media.length,
  mesh: {
    seed: r.seed,
    converged: r.converged,
    convergenceTicks: r.convergence_ticks,
    events: r.events,
    frames: r.frames,
    items: r.items,
    pairs: r.pairs,
    multiplier: r.multiplier,
    wallSeconds: meshWall,
    cpuSeconds: meshCpu,
    eventsPerSecond: r.events / meshWall,
    eventsPerCpuSecond: r.events / meshCpu,
    peakRssBytes: peakRss,
    // the engine's own cost per event (measured with the almost free flood protocol) times the
    // events of this run, as a share of its CPU time: the rest is the protocol code being simulated
    simulatorShareEstimate: r.events / flood.eventsPerCpuSecond / meshCpu,
  },
  engine: { flood, tinyssb: tiny },
  goals,
}
console.log(
  table([
    { measure: 'engine, flood protocol: events/s (wall)', value: fmt(flood.eventsPerSecond) },
    { measure: 'engine, flood protocol: events/CPU-s', value: fmt(flood.eventsPerCpuSecond) },
    { measure: 'real tinySSB nodes (relay, 50 seeds): events/s', value: fmt(tiny.eventsPerSecond) },
    { measure: `${MESH}: events`, value: fmt(r.events) },
    { measure: `${MESH}: events/s (wall)`, value: fmt(r.events / meshWall) },
    { measure: `${MESH}: CPU seconds`, value: fmt(meshCpu) },
    { measure: `${MESH}: convergence (virtual ticks)`, value: String(r.convergence_ticks) },
    { measure: `${MESH}: share of CPU in the engine (estimate)`, value: `${(100 * (r.events / flood.eventsPerCpuSecond / meshCpu)).toFixed(1)} %` },
  ]),
)
console.log(`\n${table(goals.map((g) => ({ goal: g.name, measured: typeof g.measured === 'number' ? fmt(g.measured) : String(g.measured), target: g.goal, met: g.met ? 'yes' : 'NO' })))}`)
console.log(`written to ${save('sim', result)}`)
