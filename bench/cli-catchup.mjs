// The user's path: two `tinyssb prodcons` processes, as the CLI README runs them. The producer's
// nodeA holds an N-entry log (default 10 000); a consumer (nodeB) started with --until N catches
// up over loopback UDP multicast (--iface 127.0.0.1 --ttl 1; BENCH_CLI_FACE=udp: unicast on
// 127.0.0.1) with the CLI's defaults. Reported: entries/s from the consumer's "replica … at" line
// to its "replica reached" line, and from its start to its exit (process start-up included), and
// the CPU seconds (all threads, from /proc on Linux) both processes used between those two lines
// (compare them with bench/catchup.mjs's client and server CPU s: on a shared machine they are
// steadier than rates), and the consumer's from its start.
// usage: node cli-catchup.mjs            (writes bench-results/cli-catchup.json)
//        BENCH_ENTRIES=2000 node cli-catchup.mjs
//        BENCH_CPU_THREADS=1: the consumer's catch-up CPU per thread too; BENCH_CLI_NODE_ARGS='--trace-gc …':
//        node flags for both processes; BENCH_CLI_BIN=path: another tinyssb bin (A/B runs);
//        BENCH_CLI_CONSUMER_ARGS='--window 64 …': more flags for the consumer's prodcons
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPlainEntry, genesisPosition, toHex } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { fsLogStore, readNodeConfig } from '@tinyssb/repo'
import { fmt, onTimedLines, save, table } from './lib.mjs'

export const TINYSSB = fileURLToPath(new URL('../packages/cli/bin/tinyssb.js', import.meta.url))
const N = Number(process.env.BENCH_ENTRIES ?? 10_000)

/** `tinyssb init` in `data`, then nodeA's log filled with `entries` plain entries ("entry 0", …). */
export async function prepareDataDir(data, entries) {
  execFileSync(process.execPath, [TINYSSB, 'init', '--data', data], { stdio: 'ignore' })
  const cfg = await readNodeConfig(join(data, 'nodeA'))
  const signer = ed25519.signer(cfg.secret)
  const fid = cfg.feedID
  const logs = await fsLogStore({ dir: join(data, 'nodeA'), verifier: ed25519, createIfMissing: true })
  await logs.create(fid)
  let pos = genesisPosition(fid)
  const wires = []
  for (let i = 0; i < entries; i++) {
    const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${i}`), signer)
    wires.push(e.wire)
    pos = { fid, seq: pos.seq + 1, prev: e.mid }
  }
  for (let i = 0; i < entries; i += 1000) await logs.appendMany(fid, i + 1, wires.slice(i, i + 1000))
  await logs.close()
  return { fid: toHex(fid) }
}

/** Face flags of the producer and the consumer: loopback multicast on a random group, or unicast. */
function faceFlags(kind) {
  const port = 20_000 + Math.floor(Math.random() * 30_000)
  if (kind === 'udp') return { producer: ['--udp-listen', String(port)], consumer: ['--udp', `127.0.0.1/${port}`], face: `udp 127.0.0.1/${port}` }
  const group = `239.255.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`
  const mc = ['--mc', `${group}/${port}`, '--iface', '127.0.0.1', '--ttl', '1']
  return { producer: mc, consumer: mc, face: `mc ${group}/${port} on 127.0.0.1, ttl 1` }
}

/** CPU seconds (user + system, all threads) a live process used so far, from /proc (Linux; else undefined). */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined
  }
}

/** CPU seconds of each thread of a live process, by thread id (the main thread's is the pid). */
function cpuByThread(pid) {
  const out = {}
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out[tid] = cpuOf(`${pid}/task/${tid}`)
  } catch {
    // gone, or not Linux
  }
  return out
}

/** Spawns the CLI; `lines` gets each stdout line (ANSI colors stripped) with its arrival time. */
function tinyssb(args, onLine) {
  // BENCH_CLI_NODE_ARGS: node flags for both processes (e.g. --trace-gc), BENCH_CLI_BIN: another bin
  const nodeArgs = (process.env.BENCH_CLI_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...nodeArgs, process.env.BENCH_CLI_BIN ?? TINYSSB, ...args], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } })
  onTimedLines(child.stdout, onLine)
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal, t: performance.now() })))
  return { child, exited }
}

/**
 * The CLI catch-up in `data` (prepared by {@link prepareDataDir}): a producer on nodeA, a consumer
 * on `cons` (nodeB or nodeC, whose replica must still be at its trust anchor) with --until entries.
 */
export async function runCliCatchup({ data, entries, fid, cons = 'nodeB', face = process.env.BENCH_CLI_FACE ?? 'mc', consumerArgs = [], producerArgs = [] }) {
  const flags = faceFlags(face)
  const producer = tinyssb(['prodcons', '--data', data, '--count', '0', '--quiet', ...flags.producer, ...producerArgs], () => {})
  try {
    // the producer's first start adds the trust anchors for nodeA's feed to nodeB and nodeC
    const anchor = join(data, cons, '_logs', `${fid}.log`)
    const t = performance.now()
    while (!existsSync(anchor)) {
      if (performance.now() - t > 30_000) throw new Error(`the producer made no trust anchor (${anchor})`)
      await new Promise((r) => setTimeout(r, 50))
    }
    await new Promise((r) => setTimeout(r, 500)) // its node starts right after
    const marks = {}
    const t0 = performance.now()
    const consumer = tinyssb(['prodcons', '--data', data, '--cons', cons, '--until', String(entries), '--quiet', '--timeout', '300', ...flags.consumer, ...consumerArgs], (line, at) => {
      // the CPU both processes used in the catch-up window, read as its first and last lines arrive
      const cpu = () => ({ consumer: cpuOf(consumer.child.pid), producer: cpuOf(producer.child.pid), ...(process.env.BENCH_CPU_THREADS ? { threads: cpuByThread(consumer.child.pid) } : {}) })
      if (/replica of .* at \[/.test(line) && marks.ready === undefined) [marks.ready, marks.cpuReady] = [at, cpu()]
      if (/replica reached \[/.test(line) && marks.reached === undefined) [marks.reached, marks.cpuReached] = [at, cpu()]
    })
    const end = await consumer.exited
    if (end.code !== 0) throw new Error(`the consumer exited with ${end.code ?? end.signal}`)
    if (marks.ready === undefined || marks.reached === undefined) throw new Error('the consumer printed no "replica … at" or "replica reached" line')
    const catchUp = (marks.reached - marks.ready) / 1000
    const wall = (end.t - t0) / 1000
    const used = (k) => (marks.cpuReady[k] === undefined || marks.cpuReached[k] === undefined ? undefined : marks.cpuReached[k] - marks.cpuReady[k])
    const cpu = { consumerCpuSeconds: used('consumer'), producerCpuSeconds: used('producer'), consumerCpuFromStartSeconds: marks.cpuReached.consumer }
    // BENCH_CPU_THREADS=1: the consumer's CPU seconds in the catch-up per thread (main thread first)
    if (marks.cpuReached.threads) {
      const [a, b] = [marks.cpuReady.threads, marks.cpuReached.threads]
      cpu.consumerThreads = Object.keys(b).map((tid) => [tid, Number((b[tid] - (a[tid] ?? 0)).toFixed(2))]).filter(([, s]) => s > 0)
    }
    return { entries, face: flags.face, seconds: catchUp, entriesPerSec: entries / catchUp, wallSeconds: wall, wallEntriesPerSec: entries / wall, ...cpu }
  } finally {
    producer.child.kill('SIGINT')
    const gone = await Promise.race([producer.exited, new Promise((r) => setTimeout(() => r(undefined), 5000))])
    if (!gone) producer.child.kill('SIGKILL')
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-cli-bench-'))
  try {
    const data = join(dir, 'data')
    const { fid } = await prepareDataDir(data, N)
    const r = await runCliCatchup({ data, entries: N, fid, consumerArgs: (process.env.BENCH_CLI_CONSUMER_ARGS ?? '').split(' ').filter(Boolean) })
    console.log(
      table([
        { measure: `tinyssb prodcons catch-up of ${N} entries (${r.face}), entries/s`, value: fmt(r.entriesPerSec) },
        { measure: 'seconds (first to last line of the catch-up)', value: r.seconds.toFixed(2) },
        { measure: 'seconds from the consumer process start to its exit', value: r.wallSeconds.toFixed(2) },
        { measure: 'consumer / producer CPU s in the catch-up (all threads)', value: `${r.consumerCpuSeconds?.toFixed(2) ?? '-'} / ${r.producerCpuSeconds?.toFixed(2) ?? '-'}` },
        { measure: 'consumer CPU s from its start to the last line', value: r.consumerCpuFromStartSeconds?.toFixed(2) ?? '-' },
      ]),
    )
    console.log(`written to ${save('cli-catchup', r)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
