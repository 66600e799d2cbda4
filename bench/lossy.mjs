// Catch-up over a bad medium, deterministic: N (default 500) entries from a producer to a
// consumer over the testkit memory hub with 30 % loss, 5 % duplication and 10 % reordering,
// driven only by core's fake clock, for S (default 50) seeds; and the line A–B–C (two hubs, B
// relays). Reported: virtual time to converge (median, max), frames sent per entry (all nodes),
// 'caught-up' events per run and how many came while entries were still missing. Only the
// engine's public API (createNode with clock and random) and its defaults are used.
// Env: BENCH_LOSSY_ENTRIES, BENCH_LOSSY_SEEDS, BENCH_LOSSY_LOSS, BENCH_LOSSY_DUP,
//      BENCH_LOSSY_REORDER, BENCH_LOSSY_DELAY ("min,max" ms, default 0,0), BENCH_LOSSY_MAX_S (3600).
import { deriveSeed, fakeClock, mulberry32 } from '@tinyssb/core'
import { createPlainEntry, genesisPosition } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { memoryBlobStore, memoryLogStore } from '@tinyssb/repo'
import { createNode } from '@tinyssb/replication'
import { memoryHub } from '@tinyssb/testkit'
import { fmt, median, save, table } from './lib.mjs'

const env = (name, dflt) => Number(process.env[name] ?? dflt)
const N = env('BENCH_LOSSY_ENTRIES', 500)
const SEEDS = env('BENCH_LOSSY_SEEDS', 50)
const MEDIUM = {
  loss: env('BENCH_LOSSY_LOSS', 0.3),
  duplicate: env('BENCH_LOSSY_DUP', 0.05),
  reorder: env('BENCH_LOSSY_REORDER', 0.1),
  delayMs: (process.env.BENCH_LOSSY_DELAY ?? '0,0').split(',').map(Number),
}
const MAX_MS = env('BENCH_LOSSY_MAX_S', 3600) * 1000

const signer = ed25519.signer(new Uint8Array(32).fill(7))
const fid = signer.publicKey
const wires = []
for (let i = 0, pos = genesisPosition(fid); i < N; i++) {
  const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${i}`), signer)
  wires.push(e.wire)
  pos = { fid, seq: pos.seq + 1, prev: e.mid }
}

/** A node's stores: the producer's log is full, the others hold a trust anchor. */
async function stores(full) {
  const logs = memoryLogStore({ verifier: ed25519 })
  await logs.create(fid)
  if (full) await logs.appendMany(fid, 1, wires)
  return { logs, blobs: memoryBlobStore() }
}

/** Lets promise chains (store writes, sends) finish: microtasks only, no macrotask. */
async function settle(nodes) {
  for (let i = 0; i < 3; i++) {
    await Promise.all(nodes.map((n) => n.idle()))
    for (let k = 0; k < 20; k++) await Promise.resolve()
  }
}

/**
 * One run: `line` false → A–B on one hub; true → A–B–C on two hubs (B on both). Time moves only
 * from one timer to the next. Returns when the last node holds all N entries, or at MAX_MS.
 */
async function run(seed, line) {
  const clock = fakeClock()
  const hubs = (line ? ['h1', 'h2'] : ['h1']).map((h) => memoryHub({ ...MEDIUM, seed: deriveSeed(seed, h), clock }))
  const node = async (name, full, faces) =>
    createNode({ ...(await stores(full)), faces, clock, random: mulberry32(deriveSeed(seed, name)), ...(full ? { ownFeeds: [fid] } : {}) })
  const a = await node('A', true, [hubs[0].face('A')])
  const b = await node('B', false, line ? [hubs[0].face('B1'), hubs[1].face('B2')] : [hubs[0].face('B')])
  const nodes = [a, b]
  if (line) nodes.push(await node('C', false, [hubs[1].face('C')]))
  const last = nodes.at(-1)
  let convergedAt
  let caughtUp = 0
  let falseCaughtUp = 0
  last.on('append', (ev) => ev.seq === N && (convergedAt ??= clock.now()))
  last.on('caught-up', (ev) => {
    caughtUp++
    if ((last.front(fid) ?? 0) < N || ev.seq < N) falseCaughtUp++
  })
  for (const n of nodes) await n.start()
  for (;;) {
    await settle(nodes)
    if (convergedAt !== undefined) break
    const next = clock.nextAt()
    if (next === undefined || next > MAX_MS) break // stalled, or out of time
    clock.advance(next - clock.now())
  }
  const frames = nodes.reduce((sum, n) => sum + n.stats.framesOut, 0)
  for (const n of nodes) await n.stop()
  for (const h of hubs) await h.close()
  return { seed, converged: convergedAt !== undefined, seconds: (convergedAt ?? clock.now()) / 1000, framesPerEntry: frames / N, caughtUp, falseCaughtUp }
}

function summary(runs) {
  const ok = runs.filter((r) => r.converged)
  return {
    runs: runs.length,
    converged: ok.length,
    medianSeconds: median(ok.map((r) => r.seconds)) ?? NaN, // no run converged: shown as NaN, goal not met
    maxSeconds: Math.max(...ok.map((r) => r.seconds)),
    medianFramesPerEntry: median(runs.map((r) => r.framesPerEntry)),
    maxFramesPerEntry: Math.max(...runs.map((r) => r.framesPerEntry)),
    medianCaughtUp: median(runs.map((r) => r.caughtUp)),
    medianFalseCaughtUp: median(runs.map((r) => r.falseCaughtUp)),
    maxFalseCaughtUp: Math.max(...runs.map((r) => r.falseCaughtUp)),
  }
}

const t0 = performance.now()
const results = {}
for (const [name, line] of [
  ['two nodes', false],
  ['line A–B–C', true],
]) {
  const runs = []
  for (let s = 1; s <= SEEDS; s++) runs.push(await run(s, line))
  results[name] = { ...summary(runs), perSeed: runs }
}
const two = results['two nodes']
const goals = [
  { name: 'two nodes: median virtual seconds to converge', measured: two.medianSeconds, goal: '≤ 20', met: two.medianSeconds <= 20 },
  { name: 'two nodes: median frames per entry', measured: two.medianFramesPerEntry, goal: '≤ 3', met: two.medianFramesPerEntry <= 3 },
  { name: "two nodes: 'caught-up' while entries were missing (max per run)", measured: two.maxFalseCaughtUp, goal: '0', met: two.maxFalseCaughtUp === 0 },
  { name: 'every run converged (both topologies)', measured: two.converged + results['line A–B–C'].converged, goal: String(2 * SEEDS), met: two.converged + results['line A–B–C'].converged === 2 * SEEDS },
]
const rows = Object.entries(results).flatMap(([name, r]) => [
  { topology: name, measure: `converged (of ${r.runs})`, value: String(r.converged) },
  { topology: name, measure: 'virtual s to converge, median / max', value: `${fmt(r.medianSeconds)} / ${fmt(r.maxSeconds)}` },
  { topology: name, measure: 'frames sent per entry, median / max', value: `${fmt(r.medianFramesPerEntry)} / ${fmt(r.maxFramesPerEntry)}` },
  { topology: name, measure: "'caught-up' events per run, median", value: String(r.medianCaughtUp) },
  { topology: name, measure: "… of them while entries were missing, median / max", value: `${r.medianFalseCaughtUp} / ${r.maxFalseCaughtUp}` },
])
console.log(`${N} entries, ${SEEDS} seeds, loss ${MEDIUM.loss}, duplication ${MEDIUM.duplicate}, reordering ${MEDIUM.reorder}, delay ${MEDIUM.delayMs.join('–')} ms (fake clock)`)
console.log(table(rows))
console.log(`\n${table(goals.map((g) => ({ goal: g.name, measured: Number.isInteger(g.measured) ? String(g.measured) : fmt(g.measured), target: g.goal, met: g.met ? 'yes' : 'NO' })))}`)
console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s of real time)`)
console.log(`written to ${save('lossy', { entries: N, seeds: SEEDS, medium: MEDIUM, goals, results })}`)
