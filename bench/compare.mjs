// Side by side, in one run: our catch-up (bench/catchup.mjs, two processes, loopback UDP), the
// user's path (two `tinyssb prodcons` processes, cli-catchup.mjs), hypercore replicating the same
// number of 48-byte entries (hypercore.mjs), the original Python demo on the same log
// (python-original.mjs), and one core's raw ed25519 verify rate (node:crypto and libsodium).
// Ratios are printed and written with their goals beside them (bench-results/compare.json).
// Env: BENCH_ENTRIES (default 10 000), BENCH_PY_ENTRIES (2 000), BENCH_CLI_FACE (mc | udp).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { concatBytes, createPlainEntry, entryName, genesisPosition } from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { prepareDataDir, runCliCatchup } from './cli-catchup.mjs'
import { runHypercore } from './hypercore.mjs'
import { fmt, RESULTS_DIR, rate, save, table } from './lib.mjs'
import { PY_ENTRIES, runPythonOriginal } from './python-original.mjs'

const N = Number(process.env.BENCH_ENTRIES ?? 10_000)

/** One core's raw verify rate of a 120-byte entry with `scheme`. */
async function rawVerify(scheme) {
  const signer = scheme.signer(new Uint8Array(32).fill(5))
  const pos = genesisPosition(signer.publicKey)
  const e = createPlainEntry(pos, new Uint8Array(10), signer)
  const signed = concatBytes(entryName(pos), e.wire.subarray(0, 56))
  return rate(() => scheme.verify(e.wire.subarray(56), signed, signer.publicKey))
}

let sodium
try {
  sodium = (await import('@tinyssb/packet/sodium')).sodiumEd25519
} catch {
  sodium = undefined // not installed: the row says so
}
const raw = { nodeCrypto: await rawVerify(nodeEd25519), sodium: sodium ? await rawVerify(sodium) : undefined }
console.log(`raw verify, one core: node:crypto ${fmt(raw.nodeCrypto)}/s, libsodium ${raw.sodium ? `${fmt(raw.sodium)}/s` : 'not installed'}`)

console.log(`\n— bench/catchup.mjs (${N} entries)`)
execFileSync(process.execPath, [fileURLToPath(new URL('catchup.mjs', import.meta.url))], { stdio: 'inherit', env: { ...process.env, BENCH_ENTRIES: String(N) } })
const catchup = JSON.parse(readFileSync(join(RESULTS_DIR, 'catchup.json'), 'utf8'))

console.log(`\n— hypercore (${N} × 48 B)`)
const hypercore = await runHypercore(N)
console.log(`${fmt(hypercore.entriesPerSec)} blocks/s`)

const dir = mkdtempSync(join(tmpdir(), 'tinyssb-compare-'))
let cli
let python
try {
  const data = join(dir, 'data')
  const { fid } = await prepareDataDir(data, N)
  console.log(`\n— tinyssb prodcons (${N} entries)`)
  cli = await runCliCatchup({ data, entries: N, fid, cons: 'nodeB' })
  console.log(`${fmt(cli.entriesPerSec)} entries/s (${cli.face})`)
  console.log(`\n— the original Python demo (first ${Math.min(PY_ENTRIES, N)} entries of the same log)`)
  python = await runPythonOriginal({ data, fid, entries: Math.min(PY_ENTRIES, N) })
  console.log(python.ran ? `${fmt(python.entriesPerSec)} entries/s` : `not run: ${python.reason}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const goal = (name, measured, min, note) => ({ name, measured, goal: min, met: measured === undefined ? null : measured >= min, note })
const goals = [
  goal('bench path ÷ hypercore', catchup.entriesPerSec / hypercore.entriesPerSec, 2),
  goal("user's path (tinyssb prodcons) ÷ hypercore", cli.entriesPerSec / hypercore.entriesPerSec, 2),
  goal("user's path ÷ bench path (within 10 %)", cli.entriesPerSec / catchup.entriesPerSec, 0.9),
  goal('bench path ÷ one core raw verify (node:crypto)', catchup.entriesPerSec / raw.nodeCrypto, 1),
  goal('bench path ÷ one core raw verify (libsodium)', raw.sodium && catchup.entriesPerSec / raw.sodium, 1, raw.sodium ? undefined : 'sodium-native not installed'),
  // a partial run (the original stuck in its 10-second WANT rhythm until the time limit) is not a rate
  goal(
    "user's path ÷ the original Python demo",
    python.ran && !python.partial ? cli.entriesPerSec / python.entriesPerSec : undefined,
    100,
    !python.ran ? `not run: ${python.reason}` : python.partial ? `partial run: ${python.reason}` : undefined,
  ),
]
const rows = [
  { what: 'bench/catchup.mjs, entries/s', value: fmt(catchup.entriesPerSec), goal: '', met: '' },
  { what: `tinyssb prodcons (${cli.face}), entries/s`, value: fmt(cli.entriesPerSec), goal: '', met: '' },
  { what: `hypercore ${hypercore.versions.hypercore} over loopback TCP, blocks/s`, value: fmt(hypercore.entriesPerSec), goal: '', met: '' },
  { what: 'original Python demo, entries/s', value: python.ran ? `${fmt(python.entriesPerSec)}${python.partial ? ' (partial)' : ''}` : 'not run', goal: '', met: '' },
  { what: 'raw verify node:crypto / libsodium, one core, /s', value: `${fmt(raw.nodeCrypto)} / ${raw.sodium ? fmt(raw.sodium) : '-'}`, goal: '', met: '' },
  ...goals.map((g) => ({ what: g.name, value: g.measured === undefined ? g.note : `${fmt(g.measured)}×`, goal: `≥ ${g.goal}×`, met: g.met === null ? '-' : g.met ? 'yes' : 'NO' })),
]
console.log(`\n${table(rows)}`)
if (!python.ran) console.log(`\nThe original Python demo was not run: ${python.reason}`)
console.log(`written to ${save('compare', { entries: N, rawVerifyPerSec: raw, catchup, cli, hypercore, python, goals })}`)
