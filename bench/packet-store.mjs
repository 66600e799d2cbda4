// Packet and store benchmark: raw ed25519 sign/verify per backend (node:crypto, libsodium when
// installed, noble); the same through the packet API (ratio to raw); appends/s to the fs store
// (ratio to raw verify); reads/s.
// Goals: packet API verify within 10 % of raw verify; fs appends within 30 %.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkEntry, concatBytes, createPlainEntry, entryName, genesisPosition } from '@tinyssb/packet'
import { nobleEd25519 } from '@tinyssb/packet/noble'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { fsLogStore } from '@tinyssb/repo'
import { fmt, rate, save, table } from './lib.mjs'

// libsodium (sodium-native, an optional peer dependency of @tinyssb/packet) when installed
const sodium = await import('@tinyssb/packet/sodium').then((m) => m.sodiumEd25519, () => undefined)
const rows = []
const results = {}
for (const scheme of [nodeEd25519, ...(sodium ? [sodium] : []), nobleEd25519]) {
  const seed = new Uint8Array(32).fill(9)
  const signer = scheme.signer(seed)
  const fid = signer.publicKey
  const pos = genesisPosition(fid)
  const entry = createPlainEntry(pos, new TextEncoder().encode('benchmark'), signer)
  const signed = concatBytes(entryName(pos), entry.wire.subarray(0, 56))
  const sig = entry.wire.subarray(56)
  const ms = scheme === nobleEd25519 ? 1000 : 1500
  const rawSign = await rate(() => signer.sign(signed), ms)
  const rawVerify = await rate(() => scheme.verify(sig, signed, fid), ms)
  const apiSign = await rate(() => createPlainEntry(pos, new TextEncoder().encode('benchmark'), signer), ms)
  const apiVerify = await rate(() => {
    if (!checkEntry(pos, entry.wire, scheme).ok) throw new Error('verify failed')
  }, ms)
  rows.push(
    { backend: scheme.backend, operation: 'raw sign', 'ops/s': fmt(rawSign), ratio: '1.00' },
    { backend: scheme.backend, operation: 'raw verify', 'ops/s': fmt(rawVerify), ratio: '1.00' },
    { backend: scheme.backend, operation: 'createPlainEntry', 'ops/s': fmt(apiSign), ratio: fmt(apiSign / rawSign) },
    { backend: scheme.backend, operation: 'checkEntry', 'ops/s': fmt(apiVerify), ratio: fmt(apiVerify / rawVerify) },
  )
  results[scheme.backend] = { rawSign, rawVerify, apiSign, apiVerify, apiVerifyRatio: apiVerify / rawVerify }
}

// fs store: appends (verify + write) and reads, with the node:crypto backend
const dir = mkdtempSync(join(tmpdir(), 'tinyssb-bench-'))
try {
  const scheme = nodeEd25519
  const signer = scheme.signer(new Uint8Array(32).fill(3))
  const fid = signer.publicKey
  const N = 20_000
  const wires = []
  let pos = genesisPosition(fid)
  for (let i = 0; i < N; i++) {
    const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${i}`), signer)
    wires.push(e.wire)
    pos = { fid, seq: pos.seq + 1, prev: e.mid }
  }
  const rawVerify = results[scheme.backend].rawVerify
  const logs = await fsLogStore({ dir, verifier: scheme, createIfMissing: true })
  await logs.create(fid)
  let next = 0
  const t0 = performance.now()
  for (; next < N; next++) await logs.append(fid, next + 1, wires[next])
  const appendRate = (N * 1000) / (performance.now() - t0)
  let k = 0
  const readRate = await rate(async () => {
    await logs.get(fid, 1 + (k++ % N))
  })
  await logs.close()
  const durableLogs = await fsLogStore({ dir: join(dir, 'durable'), verifier: scheme, createIfMissing: true, durable: true })
  await durableLogs.create(fid)
  const M = 500
  const t1 = performance.now()
  for (let i = 0; i < M; i++) await durableLogs.append(fid, i + 1, wires[i])
  const durableRate = (M * 1000) / (performance.now() - t1)
  await durableLogs.close()
  rows.push(
    { backend: 'fs store', operation: `append (verify+write), ${N}`, 'ops/s': fmt(appendRate), ratio: fmt(appendRate / rawVerify) },
    { backend: 'fs store', operation: `append durable (fsync), ${M}`, 'ops/s': fmt(durableRate), ratio: fmt(durableRate / rawVerify) },
    { backend: 'fs store', operation: 'get by seq', 'ops/s': fmt(readRate), ratio: '-' },
  )
  results.fsStore = { appendRate, appendRatio: appendRate / rawVerify, durableRate, readRate }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

console.log(table(rows))
if (sodium) console.log(`\nlibsodium raw verify ÷ node:crypto raw verify: ${fmt(results.sodium.rawVerify / results['node-crypto'].rawVerify)}×`)
else console.log('\nlibsodium: sodium-native is not installed, not measured')
const goals = {
  packetVerifyWithin10pct: results['node-crypto'].apiVerifyRatio >= 0.9,
  fsAppendWithin30pct: results.fsStore.appendRatio >= 0.7,
}
console.log(`\ngoals: packet API verify ≥ 0.90 of raw: ${goals.packetVerifyWithin10pct}; fs append ≥ 0.70 of raw verify: ${goals.fsAppendWithin30pct}`)
console.log(`written to ${save('packet-store', { rows, results, goals })}`)
