// What opening a long log costs (damage found in the middle of a log): opening for reads stays O(1); the first append
// after opening follows the whole chain once (DMX and mids: two sha256 per entry, no signatures);
// a log closed to bound open files and reopened unchanged is not checked again. Reported next to
// the raw ed25519 verify rate in the same run (docs/CONTRIBUTING.md "Time, randomness and tests": ratios).
// usage: node bench/open.mjs [entries]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { concatBytes, createPlainEntry, entryName, genesisPosition } from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { fsLogStore } from '@tinyssb/repo'

const N = Number(process.argv[2] ?? 10_000)
const signer = nodeEd25519.signer(new Uint8Array(32).fill(2))
const other = nodeEd25519.signer(new Uint8Array(32).fill(3))
const fid = signer.publicKey
const entries = []
let pos = genesisPosition(fid)
for (let i = 0; i <= N; i++) {
  const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${i + 1}`), signer)
  entries.push(e)
  pos = { fid, seq: e.seq + 1, prev: e.mid }
}
const verifyMs = (() => {
  const t = performance.now()
  for (const e of entries.slice(0, N)) nodeEd25519.verify(e.signature, concatBytes(entryName(e), e.wire.subarray(0, 56)), fid)
  return performance.now() - t
})()

const dir = mkdtempSync(join(tmpdir(), 'tinyssb-bench-'))
const ms = async (fn) => {
  const t = performance.now()
  await fn()
  return performance.now() - t
}
try {
  const setup = await fsLogStore({ dir, verifier: nodeEd25519, createIfMissing: true })
  await setup.create(fid)
  await setup.appendMany(fid, 1, entries.slice(0, N).map((e) => e.wire))
  await setup.create(other.publicKey)
  await setup.close()

  const logs = await fsLogStore({ dir, verifier: nodeEd25519, maxOpenLogs: 1 })
  const open = await ms(() => logs.info(fid))
  const first = await ms(() => logs.append(fid, N + 1, entries[N].wire))
  await logs.info(other.publicKey) // closes the long log
  const reopen = await ms(() => logs.info(fid)) // reopened, unchanged: no chain check before appends
  await logs.close()
  const row = (label, t) => console.log(`${label.padEnd(44)} ${t.toFixed(1).padStart(8)} ms`)
  row(`open a ${N}-entry log (info)`, open)
  row('first append (chain check of every entry)', first)
  row('reopen after eviction (unchanged: no check)', reopen)
  row(`ed25519 verify of the ${N} entries, for scale`, verifyMs)
  console.log(`chain check / signature check ratio: ${(first / verifyMs).toFixed(3)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
