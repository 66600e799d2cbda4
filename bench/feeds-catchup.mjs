// Several feeds caught up at once from one peer: a server process holds BENCH_CATCHUP_FEEDS feeds (default
// 4) of BENCH_ENTRIES ÷ feeds entries each, a client that trusts them all replicates every one over
// loopback UDP, against the same number of entries in one feed, in BENCH_ROUNDS interleaved rounds
// (default 3; medians). Their answers come in one burst: before the router followed a batch's
// chains through the batch itself, 4 feeds × 2 000 entries caught up at ~1 200 entries/s (10× slower
// than one feed), their answers evicted from the 256-slot parking lot (NO_DMX) and asked again.
// The replicas also share SHARED_WANT_AHEAD of want-ahead: 64 feeds × a 128-entry window had ~8 000
// answers in flight, beyond the socket's receive buffer (0.5× one feed). BENCH_WINDOW: the window;
// BENCH_RETRY_MIN_MS: the client's retryMinMs (200, as bench/catchup.mjs; the library's default is 1 000).
// Goal: K feeds at ≥ 0.9× one feed's rate, no answer evicted. Writes bench-results/feeds-catchup.json.
// usage: node feeds-catchup.mjs        BENCH_CATCHUP_FEEDS=16 BENCH_ENTRIES=20000 node feeds-catchup.mjs
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPlainEntry, genesisPosition } from '@tinyssb/packet'
import { nodeEd25519 as scheme, parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { udpUnicastFace } from '@tinyssb/face-udp'
import { fsLogStore } from '@tinyssb/repo'
import { createNode } from '@tinyssb/replication'
import { askStats, fmt, median, save, table, within } from './lib.mjs'

// both processes with the tinyssb bin's JIT settings, as bench/catchup.mjs runs them
await import('../packages/cli/bin/jit.js')
const N = Number(process.env.BENCH_ENTRIES ?? 10_000)
const FEEDS = Math.max(2, Number(process.env.BENCH_CATCHUP_FEEDS ?? 4))
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
/** Entries in each of `k` feeds (N ÷ k, rounded down). */
const perFeed = (k) => Math.floor(N / k)
/** The signers of `k` feeds: seed i (two bytes, then 10s), distinct for up to 65 536 feeds. */
const signersOf = (k) => Array.from({ length: k }, (_, i) => scheme.signer(Uint8Array.from({ length: 32 }, (_, b) => (b === 0 ? i & 0xff : b === 1 ? i >> 8 : 10))))

/** The server: `k` feeds of N ÷ k entries, served over UDP on 127.0.0.1 (its port sent to the parent). */
async function server(dir, k) {
  const logs = await fsLogStore({ dir, verifier: scheme, createIfMissing: true })
  for (const s of signersOf(k)) {
    await logs.create(s.publicKey)
    let pos = genesisPosition(s.publicKey)
    const wires = []
    for (let i = 0; i < perFeed(k); i++) {
      const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${i}`), s)
      wires.push(e.wire)
      pos = { fid: s.publicKey, seq: pos.seq + 1, prev: e.mid }
    }
    for (let i = 0; i < wires.length; i += 1000) await logs.appendMany(s.publicKey, i + 1, wires.slice(i, i + 1000))
  }
  const face = await udpUnicastFace({ localAddress: '127.0.0.1', localPort: 0 })
  const node = createNode({ logs, faces: [face], serveRate: 1e9, serveBurst: 1e6 })
  await node.start()
  process.send({ port: face.address().port })
  process.on('message', async () => {
    process.send({ stats: node.stats })
    await node.stop()
    await face.close()
    await logs.close()
    process.exit(0)
  })
}

/** One catch-up of N entries in `k` feeds: entries/s, frames per entry, what was asked again. */
async function catchUp(k) {
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-feeds-bench-'))
  const child = fork(fileURLToPath(import.meta.url), ['server', join(dir, 'server'), String(k)], { stdio: 'inherit' })
  try {
    const { port } = await new Promise((r) => child.once('message', r))
    const verifier = parallelEd25519()
    // the worker boots before the clock starts, as in bench/catchup.mjs
    await verifier.verifyMany(Array.from({ length: 16 }, () => ({ sig: new Uint8Array(64), msg: new Uint8Array(0), publicKey: new Uint8Array(32) })))
    const logs = await fsLogStore({ dir: join(dir, 'client'), verifier, createIfMissing: true })
    const fids = signersOf(k).map((s) => s.publicKey)
    for (const fid of fids) await logs.create(fid, { anchorSeq: 0, anchorMid: fid.slice(0, 20) })
    const face = await udpUnicastFace({ host: '127.0.0.1', port, localAddress: '127.0.0.1' })
    const node = createNode({ logs, faces: [face], retryMinMs: Number(process.env.BENCH_RETRY_MIN_MS ?? 200), wantBytes: 1400, ...(process.env.BENCH_WINDOW ? { window: Number(process.env.BENCH_WINDOW) } : {}) })
    let done = 0
    const all = new Promise((r) => node.on('append', (ev) => ev.seq === perFeed(k) && ++done === k && r()))
    const t0 = performance.now()
    await node.start()
    await within(all, () => `catch-up of ${k} feeds did not finish: fronts ${fids.map((f) => node.front(f)).join(' ')}`)
    const secs = (performance.now() - t0) / 1000
    const { stats } = await askStats(child)
    const out = (s) => Object.values(s.faces).reduce((a, f) => a + f.framesOut, 0)
    const n = perFeed(k) * k
    const result = { feeds: k, entries: n, seconds: secs, entriesPerSec: n / secs, framesPerEntry: (out(node.stats) + out(stats)) / n, served: stats.entriesServed, evicted: node.stats.dropped.NO_DMX ?? 0, dropped: node.stats.dropped }
    await node.stop()
    await face.close()
    await logs.close()
    await verifier.close()
    return result
  } finally {
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === 'server') await server(process.argv[3], Number(process.argv[4]))
else {
  const rounds = []
  for (let i = 0; i < ROUNDS; i++) {
    // the two take turns going first: a host that slows down mid-round hits both alike
    const round = {}
    for (const k of i % 2 ? [FEEDS, 1] : [1, FEEDS]) round[k === 1 ? 'one' : 'many'] = await catchUp(k)
    rounds.push(round)
  }
  const one = median(rounds.map((r) => r.one.entriesPerSec))
  const many = median(rounds.map((r) => r.many.entriesPerSec))
  const evicted = Math.max(...rounds.map((r) => r.many.evicted))
  const goals = [
    { name: `${FEEDS} feeds at once ÷ one feed (entries/s)`, measured: many / one, goal: 0.9, met: many / one >= 0.9 },
    { name: 'answers evicted from the parking lot (most of any round)', measured: evicted, goal: 0, met: evicted === 0 },
  ]
  console.log(
    table([
      { what: `one feed of ${N} entries, entries/s (median of ${ROUNDS})`, value: fmt(one), goal: '', met: '' },
      { what: `${FEEDS} feeds of ${perFeed(FEEDS)} entries at once, entries/s`, value: fmt(many), goal: '', met: '' },
      { what: 'frames per entry: one feed / several', value: `${median(rounds.map((r) => r.one.framesPerEntry)).toFixed(3)} / ${median(rounds.map((r) => r.many.framesPerEntry)).toFixed(3)}`, goal: '', met: '' },
      { what: goals[0].name, value: `${fmt(goals[0].measured)}×`, goal: '≥ 0.9×', met: goals[0].met ? 'yes' : 'NO' },
      { what: goals[1].name, value: String(evicted), goal: '0', met: goals[1].met ? 'yes' : 'NO' },
    ]),
  )
  console.log(`written to ${save('feeds-catchup', { feeds: FEEDS, entries: N, rounds, goals })}`)
}
