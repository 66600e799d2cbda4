// Issue 3 benchmark: catch-up of N (default 10 000) entries between two processes over loopback
// UDP. Reports entries/s and its ratio to the raw node:crypto verify rate measured in the same run
// (goal ≥ 0.7), plus frames sent per entry (both directions).
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { concatBytes, createPlainEntry, entryName, genesisPosition } from '@tinyssb/packet'
import { nodeEd25519 as scheme } from '@tinyssb/packet/node-crypto'
import { udpUnicastFace } from '@tinyssb/face-udp'
import { fsBlobStore, fsLogStore } from '@tinyssb/repo'
import { createNode } from '@tinyssb/replication'
import { fmt, rate, save, table } from './lib.mjs'

const N = Number(process.env.BENCH_ENTRIES ?? 10_000)
const seed = new Uint8Array(32).fill(5)

async function server(dir) {
  const signer = scheme.signer(seed)
  const fid = signer.publicKey
  const logs = await fsLogStore({ dir, verifier: scheme, createIfMissing: true })
  await logs.create(fid)
  let pos = genesisPosition(fid)
  for (let i = 0; i < N; i++) {
    const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${i}`), signer)
    await logs.append(fid, pos.seq, e.wire)
    pos = { fid, seq: pos.seq + 1, prev: e.mid }
  }
  const face = await udpUnicastFace({ localAddress: '127.0.0.1', localPort: 0 })
  const node = createNode({ logs, blobs: await fsBlobStore({ dir, createIfMissing: true }), faces: [face], ownFeeds: [fid], serveRate: 1e9, serveBurst: 1e6 })
  await node.start()
  process.send({ port: face.address().port })
  process.on('message', async (m) => {
    if (m !== 'stats') return
    process.send({ stats: node.stats })
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
  const logs = await fsLogStore({ dir: join(dir, 'client'), verifier: scheme, createIfMissing: true })
  await logs.create(fid)
  const face = await udpUnicastFace({ host: '127.0.0.1', port, localAddress: '127.0.0.1' })
  const node = createNode({ logs, faces: [face], retryMinMs: 200 })
  const done = new Promise((r) => node.on('append', (ev) => ev.seq === N && r()))
  const t0 = performance.now()
  await node.start()
  const timeout = setTimeout(() => {
    console.error(`catch-up did not finish: replica at ${node.front(fid)}`)
    process.exit(1)
  }, 300_000)
  await done
  const secs = (performance.now() - t0) / 1000
  clearTimeout(timeout)
  child.send('stats')
  const { stats: serverStats } = await new Promise((r) => child.once('message', r))
  const out = (s) => Object.values(s.faces).reduce((a, f) => a + f.framesOut, 0)
  const entriesPerSec = N / secs
  const result = {
    entries: N,
    seconds: secs,
    entriesPerSec,
    rawVerifyPerSec: rawVerify,
    ratio: entriesPerSec / rawVerify,
    framesPerEntry: (out(node.stats) + out(serverStats)) / N,
    wantsSent: node.stats.wantsSent,
    served: serverStats.entriesServed,
    dropped: { client: node.stats.dropped, server: serverStats.dropped },
  }
  await node.stop()
  await face.close()
  await logs.close()
  console.log(
    table([
      { measure: 'catch-up entries/s', value: fmt(entriesPerSec) },
      { measure: 'raw node:crypto verify/s', value: fmt(rawVerify) },
      { measure: 'ratio (goal ≥ 0.7)', value: fmt(result.ratio) },
      { measure: 'frames sent per entry', value: result.framesPerEntry.toFixed(3) },
      { measure: 'WANT frames sent', value: String(result.wantsSent) },
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
