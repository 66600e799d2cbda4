// Catch-up benchmark: catch-up of N (default 10 000) entries between two processes over loopback
// UDP. Reports entries/s and its ratio to the raw node:crypto verify rate measured in the same run
// (goal ≥ 1: the second core checks signatures too), plus frames sent per entry (both directions).
// The client's store is fsLogStore's default (not durable); BENCH_DURABLE=1: durable (each batch
// fdatasync'd before it counts), as the tinyssb CLI's by default (--durability disk): compare.mjs
// compares the user's path (cli-catchup.mjs) with that, the same storage work (3-6 % slower here).
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { concatBytes, createPlainEntry, entryName, genesisPosition } from '@tinyssb/packet'
import { nodeEd25519 as scheme, parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { udpUnicastFace } from '@tinyssb/face-udp'
import { appendToFeed, fsBlobStore, fsLogStore } from '@tinyssb/repo'
import { createNode } from '@tinyssb/replication'
import { askStats, fmt, rate, save, table, within } from './lib.mjs'

const N = Number(process.env.BENCH_ENTRIES ?? 10_000)
// Both processes run as the tinyssb bin runs a node: with its JIT settings (packages/cli/bin/jit.js:
// less inlining, optimization later, so the optimizing compiler takes less of the two cores from a
// one-second catch-up), unless BENCH_JIT=0 (V8's defaults). An app on the library may set them so.
const JIT = process.env.BENCH_JIT === '0' ? "V8's defaults" : 'as the tinyssb bin (bin/jit.js)'
if (process.env.BENCH_JIT !== '0') await import('../packages/cli/bin/jit.js')
const seed = new Uint8Array(32).fill(5)
const DURABLE = process.env.BENCH_DURABLE === '1'

async function server(dir) {
  const signer = scheme.signer(seed)
  const fid = signer.publicKey
  const logs = await fsLogStore({ dir, verifier: scheme, createIfMissing: true })
  for (let i = 0; i < N; i++) await appendToFeed({ logs, signer }, new TextEncoder().encode(`entry ${i}`))
  const face = await udpUnicastFace({ localAddress: '127.0.0.1', localPort: 0 })
  const node = createNode({ logs, blobs: await fsBlobStore({ dir, createIfMissing: true }), faces: [face], ownFeeds: [fid], serveRate: 1e9, serveBurst: 1e6 })
  await node.start()
  const cpuReady = process.cpuUsage()
  process.send({ port: face.address().port })
  process.on('message', async (m) => {
    if (m !== 'stats') return
    process.send({ stats: node.stats, cpu: process.cpuUsage(cpuReady) })
    await node.stop()
    await face.close()
    await logs.close()
    process.exit(0)
  })
}

async function client(dir) {
  const signer = scheme.signer(seed)
  const fid = signer.publicKey
  // raw verify rate, same process, same moment
  const pos = genesisPosition(fid)
  const e = createPlainEntry(pos, new Uint8Array(10), signer)
  const signed = concatBytes(entryName(pos), e.wire.subarray(0, 56))
  const rawVerify = await rate(() => scheme.verify(e.wire.subarray(56), signed, fid))

  const child = fork(new URL(import.meta.url).pathname, ['server', join(dir, 'server')], { stdio: 'inherit' })
  const { port } = await new Promise((r) => child.once('message', r))
  // batches of entries are checked on a worker thread (LogStore.appendMany → verifyMany); this
  // thread, which receives, parses and stores, checks only what the workers cannot take. The
  // workers start before the clock does, as the CLI's (fast-verifier) do.
  const verifier = process.env.BENCH_SERIAL ? scheme : parallelEd25519()
  if (verifier.stats) {
    const blank = { sig: new Uint8Array(64), msg: new Uint8Array(0), publicKey: new Uint8Array(32) }
    await verifier.verifyMany(Array.from({ length: 16 }, () => blank))
  }
  const warm = verifier.stats && { ...verifier.stats }
  const logs = await fsLogStore({ dir: join(dir, 'client'), verifier, createIfMissing: true, durable: DURABLE })
  await logs.create(fid)
  const face = await udpUnicastFace({ host: '127.0.0.1', port, localAddress: '127.0.0.1' })
  // both ends are tinyssb-ts: WANTs may fill the UDP MTU (38 records) instead of the reference's 6
  const node = createNode({ logs, faces: [face], retryMinMs: 200, wantBytes: 1400, window: Number(process.env.BENCH_WINDOW ?? 128) })
  const done = new Promise((r) => node.on('append', (ev) => ev.seq === N && r()))
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await node.start()
  await within(done, () => `catch-up did not finish: replica at ${node.front(fid)}`)
  const secs = (performance.now() - t0) / 1000
  const { stats: serverStats, cpu: serverCpu } = await askStats(child)
  const clientCpu = process.cpuUsage(cpu0)
  const out = (s) => Object.values(s.faces).reduce((a, f) => a + f.framesOut, 0)
  const entriesPerSec = N / secs
  const result = {
    entries: N,
    seconds: secs,
    entriesPerSec,
    rawVerifyPerSec: rawVerify,
    ratio: entriesPerSec / rawVerify,
    framesPerEntry: (out(node.stats) + out(serverStats)) / N,
    // CPU seconds used during catch-up by the client process (all its threads) and by the server
    clientCpuSeconds: (clientCpu.user + clientCpu.system) / 1e6,
    serverCpuSeconds: (serverCpu.user + serverCpu.system) / 1e6,
    wantsSent: node.stats.wantsSent,
    served: serverStats.entriesServed,
    dropped: { client: node.stats.dropped, server: serverStats.dropped },
    // signatures checked on the worker threads and on the receiving thread, and messages to the workers
    pool: warm && Object.fromEntries(Object.entries(verifier.stats).map(([k, v]) => [k, v - warm[k]])),
  }
  await node.stop()
  await face.close()
  await logs.close()
  await verifier.close?.()
  result.verifier = process.env.BENCH_SERIAL ? 'node-crypto' : `${verifier.backend} on worker threads`
  result.jit = JIT
  result.durable = DURABLE
  console.log(
    table([
      { measure: 'catch-up entries/s', value: fmt(entriesPerSec) },
      { measure: 'raw node:crypto verify/s', value: fmt(rawVerify) },
      { measure: 'ratio (goal ≥ 1)', value: fmt(result.ratio) },
      { measure: 'frames sent per entry', value: result.framesPerEntry.toFixed(3) },
      { measure: 'WANT frames sent', value: String(result.wantsSent) },
      { measure: 'client CPU s (all threads)', value: result.clientCpuSeconds.toFixed(2) },
      { measure: 'server CPU s', value: result.serverCpuSeconds.toFixed(2) },
      { measure: 'client verifier', value: result.verifier },
      { measure: 'JIT (both processes)', value: JIT },
      { measure: "client's store", value: DURABLE ? 'durable (BENCH_DURABLE=1: fdatasync per batch, as the CLI)' : "not durable (fsLogStore's default)" },
      ...(result.pool ? [{ measure: 'checked on workers / this thread', value: `${result.pool.itemsOnWorkers} / ${result.pool.itemsOnCaller}` }] : []),
    ]),
  )
  console.log(`written to ${save('catchup', result)}`)
}

const [mode, arg] = process.argv.slice(2)
if (mode === 'server') await server(arg)
else {
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-catchup-'))
  try {
    await client(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
