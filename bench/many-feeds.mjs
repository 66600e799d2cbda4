// A node holding many feeds (default 10 000 × 100 entries, generated once by many-feeds-data.mjs
// and cached in os.tmpdir()): its start() time, RSS, and the WANT traffic it sends in its first
// seconds on loopback UDP multicast, once as a node that replicates every log it holds (the
// default) and once as a node that only serves (replicateAll: false); meanwhile a one-feed consumer
// in another process asks it for feed 0 (time to its first entry and to all of them). Then the
// logs are verified: checkLog one log after another on one core (node:crypto, as `tinyssb log
// verify` did; and the fastest backend) against verifyLogs on every core, on a sample of the feeds.
// Goals beside: start ≤ 200 ms, RSS ≤ 100 MiB (after start and at its peak in the run), the
// consumer's first entry in < 100 ms, verifyLogs ≥ 1.8× one core.
// The start-up sidechain scan comes in variants (BENCH_SCAN, comma-separated, run interleaved in
// each round): `index` (the store's entriesOfType, its type index as left by earlier runs), `cold`
// (the same with <dir>/_logs.types deleted first: the first start after an upgrade), `entries`
// (entriesOfType hidden from the node: every entry of every log read, as before the index), `off`
// (no scan: what the rest of the node costs).
// Env: BENCH_FEEDS (10000), BENCH_FEED_ENTRIES (100), BENCH_WANT_SECONDS (10), BENCH_VERIFY_FEEDS
//      (1000; 0 skips), BENCH_VERIFY_ALL=1 (verifyLogs on every feed too), BENCH_SCAN (index),
//      BENCH_ROUNDS (1; each figure is the median over the rounds).
import { fork } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { toHex } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { udpMulticastFace } from '@tinyssb/face-udp'
import { checkLog, fsBlobStore, fsLogStore, memoryLogStore, TYPE_INDEX_FILE, verifyLogs } from '@tinyssb/repo'
import { createNode } from '@tinyssb/replication'
import { fmt, median, save, table } from './lib.mjs'
import { feedSeed, manyFeedsData } from './many-feeds-data.mjs'

const env = (name, dflt) => Number(process.env[name] ?? dflt)
const FEEDS = env('BENCH_FEEDS', 10_000)
const ENTRIES = env('BENCH_FEED_ENTRIES', 100)
const WANT_SECONDS = env('BENCH_WANT_SECONDS', 10)
const VERIFY_FEEDS = Math.min(env('BENCH_VERIFY_FEEDS', 1000), FEEDS)
const SCANS = (process.env.BENCH_SCAN ?? 'index').split(',').filter(Boolean)
const ROUNDS = Math.max(1, env('BENCH_ROUNDS', 1))
const MiB = 1024 * 1024

/** The child: the node holding every feed; reports to the parent over IPC. */
async function holder(mode, dir, group, port, scan) {
  const rssBefore = process.memoryUsage().rss
  const logs = await fsLogStore({ dir, verifier: ed25519 })
  const udp = await udpMulticastFace({ group, port, iface: '127.0.0.1', ttl: 0 })
  // when the first frame arrived and the first 120-byte frame (an entry) went out, from start()
  const heard = {}
  let t0 = 0
  const face = {
    ...udp,
    send: (frame, to) => {
      if (frame.length === 120) heard.firstEntrySentMs ??= performance.now() - t0
      return udp.send(frame, to)
    },
    onFrame: (fn) => udp.onFrame((frame, from) => {
      heard.firstFrameMs ??= performance.now() - t0
      heard.framesBeforeEntry = (heard.framesBeforeEntry ?? 0) + (heard.firstEntrySentMs === undefined ? 1 : 0)
      fn(frame, from)
    }),
  }
  // 'entries': the node sees a store without entriesOfType, so its scan reads every entry
  const seen = scan === 'entries' ? new Proxy(logs, { get: (t, k) => (k === 'entriesOfType' ? undefined : Reflect.get(t, k)) }) : logs
  const node = createNode({ logs: seen, blobs: await fsBlobStore({ dir, createIfMissing: true }), faces: [face], ...(mode === 'serve-only' ? { replicateAll: false } : {}), ...(scan === 'off' ? { blobRequests: { scan: false } } : {}) })
  t0 = performance.now()
  await node.start()
  const startMs = performance.now() - t0
  const snap = () => ({ wantsSent: node.stats.wantsSent, framesOut: node.stats.framesOut, bytesOut: node.stats.bytesOut, entriesServed: node.stats.entriesServed })
  const atStart = { ...snap(), queues: node.queues(), rss: process.memoryUsage().rss }
  process.send({ started: true })
  let peakRss = atStart.rss
  const samples = []
  for (let s = 1; s <= WANT_SECONDS; s++) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + s * 1000 - performance.now())))
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    samples.push({ second: s, ...snap() })
  }
  // the process's high-water mark: the peak between the samples too
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024)
  process.send({ mode, startMs, rssBefore, atStart, samples, peakRss, heard })
  process.once('message', async () => {
    await node.stop()
    await face.close()
    await logs.close()
    process.exit(0)
  })
}

/** This process: a one-feed consumer of feed 0 while the child runs. */
async function consumer(group, port) {
  const fid = ed25519.signer(feedSeed(0)).publicKey
  const logs = memoryLogStore({ verifier: ed25519 })
  await logs.create(fid)
  const udp = await udpMulticastFace({ group, port, iface: '127.0.0.1', ttl: 0 })
  const marks = { sent: 0 }
  let t0 = 0
  const face = {
    ...udp,
    send: (frame, to) => {
      marks.firstSentMs ??= performance.now() - t0
      if (marks.firstMs === undefined) marks.sent++
      return udp.send(frame, to)
    },
  }
  const node = createNode({ logs, faces: [face] })
  t0 = performance.now()
  const all = new Promise((r) =>
    node.on('append', (ev) => {
      marks.firstMs ??= performance.now() - t0
      if (ev.seq === ENTRIES) r((marks.allMs = performance.now() - t0))
    }),
  )
  await node.start()
  await Promise.race([all, new Promise((r) => setTimeout(r, WANT_SECONDS * 1000))])
  await node.stop()
  await face.close()
  return marks
}

async function holderRun(mode, dir, scan) {
  if (scan === 'cold') rmSync(join(dir, TYPE_INDEX_FILE), { force: true })
  const group = `239.255.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`
  const port = 20_000 + Math.floor(Math.random() * 30_000)
  // the holder runs as the tinyssb bin runs a node (its young-generation setting), unless BENCH_YOUNG_GEN=0
  const execArgv = process.env.BENCH_YOUNG_GEN === '0' ? [] : ['--import', fileURLToPath(new URL('../packages/cli/bin/young-gen.js', import.meta.url))]
  const child = fork(fileURLToPath(import.meta.url), ['holder', mode, dir, group, String(port), scan], { stdio: 'inherit', execArgv })
  const messages = []
  const next = () => new Promise((r, no) => {
    if (messages.length) return r(messages.shift())
    child.once('message', r)
    child.once('exit', (code) => no(new Error(`the ${mode} node exited with ${code}`)))
  })
  await next() // started
  const served = await consumer(group, port)
  const r = await next()
  child.send('stop')
  await new Promise((ok) => child.once('exit', ok))
  return { ...r, scan, consumer: served }
}

/** One run per round reduced to medians (the rounds themselves are kept in `rounds`). */
function summarize(rounds) {
  const m = (f) => median(rounds.map(f))
  const last = rounds.at(-1)
  return {
    ...last,
    startMs: m((r) => r.startMs),
    atStart: { ...last.atStart, rss: m((r) => r.atStart.rss) },
    peakRss: m((r) => r.peakRss),
    consumer: { firstMs: m((r) => r.consumer.firstMs), allMs: m((r) => r.consumer.allMs), served: rounds.filter((r) => r.consumer.firstMs !== undefined).length },
    heard: { firstFrameMs: m((r) => r.heard.firstFrameMs), firstEntrySentMs: m((r) => r.heard.firstEntrySentMs) },
    rounds: rounds.map((r) => ({ startMs: r.startMs, rss: r.atStart.rss, peakRss: r.peakRss, consumer: r.consumer, heard: r.heard })),
  }
}

/** Seconds `fn` takes. */
async function seconds(fn) {
  const t = performance.now()
  const out = await fn()
  return { s: (performance.now() - t) / 1000, out }
}

async function main() {
  let last = 0
  const data = await manyFeedsData({
    feeds: FEEDS,
    entries: ENTRIES,
    onProgress: (n, total) => {
      if (performance.now() - last < 5000) return
      last = performance.now()
      console.log(`  generating: ${n} of ${total} feeds`)
    },
  })
  console.log(`${data.dir}: ${FEEDS} feeds × ${ENTRIES} entries (${data.cached ? 'cached' : `generated in ${data.generatedSeconds.toFixed(0)} s`})`)

  const all = {}
  for (let round = 1; round <= ROUNDS; round++) {
    for (const mode of ['replicate', 'serve-only']) {
      for (const scan of SCANS) {
        const key = SCANS.length > 1 ? `${mode} (${scan})` : mode
        ;(all[key] ??= []).push(await holderRun(mode, data.dir, scan))
        if (ROUNDS > 1) console.log(`  round ${round}: ${key} done`)
      }
    }
  }
  const runs = Object.fromEntries(Object.entries(all).map(([k, rs]) => [k, summarize(rs)]))

  let verify
  if (VERIFY_FEEDS > 0) {
    const logs = await fsLogStore({ dir: data.dir, verifier: ed25519, readOnly: true })
    const all = []
    for await (const fid of logs.feeds()) all.push(fid)
    const sample = all.slice(0, VERIFY_FEEDS)
    const serial = async (scheme) => {
      for (const fid of sample) if (!(await checkLog(logs, fid, scheme)).ok) throw new Error(`log ${toHex(fid)} does not verify`)
    }
    const oneCoreNode = await seconds(() => serial(nodeEd25519))
    const oneCoreBest = await seconds(() => serial(ed25519))
    const parallel = await seconds(() => verifyLogs(logs, { feeds: sample }))
    if (!parallel.out.ok) throw new Error('verifyLogs found damage in the generated logs')
    verify = {
      feeds: sample.length,
      entries: parallel.out.entries,
      cores: availableParallelism(),
      backend: ed25519.backend,
      oneCoreNodeCryptoSeconds: oneCoreNode.s,
      oneCoreBestSeconds: oneCoreBest.s,
      verifyLogsSeconds: parallel.s,
      speedupVsNodeCrypto: oneCoreNode.s / parallel.s,
      speedupVsSameBackend: oneCoreBest.s / parallel.s,
    }
    if (process.env.BENCH_VERIFY_ALL) {
      const full = await seconds(() => verifyLogs(logs))
      verify.allFeeds = { feeds: all.length, entries: full.out.entries, seconds: full.s, ok: full.out.ok }
    }
    await logs.close()
  }

  const rows = []
  for (const [key, r] of Object.entries(runs)) {
    const mode = r.mode
    const end = r.samples.at(-1)
    const first = r.samples[0]
    rows.push(
      { node: key, measure: 'start() ms', value: fmt(r.startMs), goal: '≤ 200' },
      { node: key, measure: 'RSS after start, MiB', value: fmt(r.atStart.rss / MiB), goal: '≤ 100' },
      { node: key, measure: `peak RSS in the ${WANT_SECONDS} s (high-water mark), MiB`, value: fmt(r.peakRss / MiB), goal: '≤ 100' },
      { node: key, measure: 'WANT frames sent: at start / after 1 s / after ' + WANT_SECONDS + ' s', value: `${r.atStart.wantsSent} / ${first.wantsSent} / ${end.wantsSent}`, goal: 'within face budgets' },
      { node: key, measure: `bytes sent in ${WANT_SECONDS} s`, value: fmt(end.bytesOut), goal: '' },
      { node: key, measure: 'replicas at start', value: String(r.atStart.queues.replicas), goal: mode === 'serve-only' ? '0' : '' },
      { node: key, measure: 'holder: first frame heard / first entry sent, ms after start() began', value: `${r.heard.firstFrameMs === undefined ? 'none' : fmt(r.heard.firstFrameMs)} / ${r.heard.firstEntrySentMs === undefined ? 'none' : fmt(r.heard.firstEntrySentMs)}`, goal: '' },
      { node: key, measure: `one-feed consumer: first entry / all ${ENTRIES}, ms`, value: `${r.consumer.firstMs === undefined ? 'none' : fmt(r.consumer.firstMs)} / ${r.consumer.allMs === undefined ? 'not in time' : fmt(r.consumer.allMs)}`, goal: '< 100' },
    )
  }
  if (verify) {
    rows.push(
      { node: 'verify', measure: `${verify.feeds} logs (${verify.entries} entries), one core, node:crypto, s`, value: fmt(verify.oneCoreNodeCryptoSeconds), goal: '' },
      { node: 'verify', measure: `the same, one core, ${verify.backend}, s`, value: fmt(verify.oneCoreBestSeconds), goal: '' },
      { node: 'verify', measure: `verifyLogs on ${verify.cores} cores, s`, value: fmt(verify.verifyLogsSeconds), goal: '' },
      { node: 'verify', measure: 'speed-up vs one core node:crypto / same backend', value: `${fmt(verify.speedupVsNodeCrypto)}× / ${fmt(verify.speedupVsSameBackend)}×`, goal: '≥ 1.8× (2 cores)' },
    )
    if (verify.allFeeds) rows.push({ node: 'verify', measure: `verifyLogs, all ${verify.allFeeds.feeds} logs (${verify.allFeeds.entries} entries), s`, value: fmt(verify.allFeeds.seconds), goal: '' })
  }
  console.log(table(rows))
  const goals = {
    startMs: { goal: 200, met: Object.values(runs).every((r) => r.startMs <= 200) },
    rssMiB: { goal: 100, met: Object.values(runs).every((r) => r.atStart.rss / MiB <= 100) },
    peakRssMiB: { goal: 100, met: Object.values(runs).every((r) => r.peakRss / MiB <= 100) },
    consumerFirstEntryMs: { goal: 100, met: Object.values(runs).every((r) => (r.consumer.firstMs ?? Infinity) < 100) },
    verifySpeedup: verify && { goal: 1.8, met: verify.speedupVsSameBackend >= 1.8 },
  }
  console.log(`written to ${save('many-feeds', { feeds: FEEDS, entries: ENTRIES, wantSeconds: WANT_SECONDS, scans: SCANS, rounds: ROUNDS, runs, verify, goals })}`)
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'holder') await holder(rest[0], rest[1], rest[2], Number(rest[3]), rest[4])
else await main()
