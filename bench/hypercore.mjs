// hypercore 11.37.1 (RocksDB storage, libsodium through sodium-native) replicating N (default
// 10 000) blocks of 48 bytes between two processes over loopback TCP: the reference point for our
// catch-up benches (compare.mjs puts them side by side). The server writes the core, the client
// downloads blocks 0..N−1 (each one checked against the signed merkle tree) and reports blocks/s.
// usage: node hypercore.mjs            (writes bench-results/hypercore.json)
//        BENCH_ENTRIES=2000 node hypercore.mjs
import { fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fmt, save, table } from './lib.mjs'

const require = createRequire(import.meta.url)
const N = Number(process.env.BENCH_ENTRIES ?? 10_000)
/** The same payload size as a tinySSB plain48 entry. */
const BLOCK_BYTES = 48

/** The installed version of a dev dependency of this package (some do not export package.json). */
const versionOf = (name) => JSON.parse(readFileSync(fileURLToPath(new URL(`node_modules/${name}/package.json`, import.meta.url)), 'utf8')).version

const block = (i) => {
  const b = Buffer.alloc(BLOCK_BYTES)
  b.write(`entry ${i}`)
  return b
}

async function server(dir) {
  const Hypercore = require('hypercore')
  const core = new Hypercore(dir)
  await core.ready()
  for (let i = 0; i < N; i += 1000) await core.append(Array.from({ length: Math.min(1000, N - i) }, (_, k) => block(i + k)))
  const sockets = new Set()
  const srv = createServer((socket) => {
    sockets.add(socket)
    const stream = core.replicate(false)
    socket.pipe(stream).pipe(socket)
    stream.on('error', () => {})
    socket.on('error', () => {})
  })
  await new Promise((r) => srv.listen(0, '127.0.0.1', r))
  const cpuReady = process.cpuUsage()
  process.send({ port: srv.address().port, key: core.key.toString('hex') })
  process.on('message', async (m) => {
    if (m !== 'stop') return
    const cpu = process.cpuUsage(cpuReady)
    for (const s of sockets) s.destroy()
    srv.close()
    await core.close()
    process.send({ cpu })
    process.exit(0)
  })
}

/** Runs the server in a child process and downloads from it; the result of one run. */
export async function runHypercore(entries = N) {
  const Hypercore = require('hypercore')
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-hypercore-'))
  try {
    const child = fork(fileURLToPath(import.meta.url), ['server', join(dir, 'server')], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_ENTRIES: String(entries) },
    })
    const { port, key } = await new Promise((r) => child.once('message', r))
    const core = new Hypercore(join(dir, 'client'), Buffer.from(key, 'hex'))
    await core.ready()
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const socket = connect(port, '127.0.0.1')
    const stream = core.replicate(true)
    socket.pipe(stream).pipe(socket)
    stream.on('error', () => {})
    socket.on('error', () => {})
    const timeout = setTimeout(() => {
      console.error(`hypercore download did not finish: ${core.contiguousLength} of ${entries}`)
      process.exit(1)
    }, 300_000)
    await core.download({ start: 0, end: entries }).done()
    const secs = (performance.now() - t0) / 1000
    clearTimeout(timeout)
    const clientCpu = process.cpuUsage(cpu0)
    if (core.contiguousLength !== entries) throw new Error(`hypercore: ${core.contiguousLength} blocks, expected ${entries}`)
    const last = await core.get(entries - 1)
    if (!last.equals(block(entries - 1))) throw new Error('hypercore: the last block differs')
    child.send('stop')
    const { cpu: serverCpu } = await new Promise((r) => child.once('message', r))
    socket.destroy()
    await core.close()
    return {
      entries,
      blockBytes: BLOCK_BYTES,
      seconds: secs,
      entriesPerSec: entries / secs,
      clientCpuSeconds: (clientCpu.user + clientCpu.system) / 1e6,
      serverCpuSeconds: (serverCpu.user + serverCpu.system) / 1e6,
      versions: Object.fromEntries(['hypercore', 'hypercore-storage', 'rocksdb-native'].map((p) => [p, versionOf(p)])),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const [mode, arg] = process.argv.slice(2)
if (mode === 'server') await server(arg)
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runHypercore()
  console.log(
    table([
      { measure: `hypercore ${r.versions.hypercore}: ${r.entries} × ${BLOCK_BYTES} B over loopback TCP, blocks/s`, value: fmt(r.entriesPerSec) },
      { measure: 'seconds', value: r.seconds.toFixed(2) },
      { measure: 'client CPU s', value: r.clientCpuSeconds.toFixed(2) },
      { measure: 'server CPU s', value: r.serverCpuSeconds.toFixed(2) },
    ]),
  )
  console.log(`written to ${save('hypercore', r)}`)
}
