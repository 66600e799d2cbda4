// Append throughput of fsLogStore against the raw ed25519 verify rate (node:crypto), as a ratio
// within one run (docs/CONTRIBUTING.md "Time, randomness and tests"). usage: node bench/append.mjs [entries]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPlainEntry, entryName, genesisPosition, concatBytes } from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { fsLogStore, memoryLogStore } from '@tinyssb/repo'

const N = Number(process.argv[2] ?? 5000)
const signer = nodeEd25519.signer(new Uint8Array(32).fill(1))
const fid = signer.publicKey
const entries = []
let pos = genesisPosition(fid)
for (let i = 0; i < N; i++) {
  const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${i + 1}`), signer)
  entries.push(e)
  pos = { fid, seq: e.seq + 1, prev: e.mid }
}

function rate(label, n, ms) {
  const r = Math.round((n / ms) * 1000)
  console.log(`${label.padEnd(28)} ${String(r).padStart(8)} /s`)
  return r
}

function verifyAll() {
  const t = performance.now()
  for (const e of entries) nodeEd25519.verify(e.signature, concatBytes(entryName(e), e.wire.subarray(0, 56)), fid)
  return performance.now() - t
}
verifyAll() // warm-up
const verify = rate('raw ed25519 verify', N, verifyAll())

async function appendAll(label, logs) {
  await logs.create(fid)
  const t0 = performance.now()
  for (const e of entries) await logs.append(fid, e.seq, e.wire)
  const r = rate(label, N, performance.now() - t0)
  await logs.close()
  return r
}
const dir = mkdtempSync(join(tmpdir(), 'tinyssb-bench-'))
try {
  const mem = await appendAll('memoryLogStore append', memoryLogStore({ verifier: nodeEd25519 }))
  const fs = await appendAll('fsLogStore append', await fsLogStore({ dir, verifier: nodeEd25519, createIfMissing: true }))
  console.log(`fs append / verify ratio: ${(fs / verify).toFixed(2)} (memory: ${(mem / verify).toFixed(2)})`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
