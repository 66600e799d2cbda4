// Side by side, in one run: our catch-up (bench/catchup.mjs, two processes, loopback UDP), the
// user's path (two `tinyssb prodcons` processes, cli-catchup.mjs), hypercore replicating the same
// number of 48-byte entries (hypercore.mjs), the original Python demo on the same log
// (python-original.mjs), and one core's raw ed25519 verify rate (node:crypto and libsodium).
// The first four run in BENCH_COMPARE_ROUNDS rounds (default 3), interleaved (the bench path and
// the user's path take turns going first; the Python original right after the user's path, on its
// data directory), and each rate is the median of its rounds: on a shared machine one run of
// each, a minute apart, moved their ratio by ±15 %. Each ratio is the median of the rounds'
// ratios (each pair measured in the same round, seconds apart).
// Ratios are printed and written with their goals beside them, and the rounds too
// (bench-results/compare.json).
// The bench path runs twice a round: with fsLogStore's default store (not durable), compared with
// hypercore (RocksDB, no sync per write) and the raw verify rate; and with a durable store
// (BENCH_DURABLE=1), as the CLI's default --durability disk, compared with the user's path: the
// same storage work on both sides (fdatasync per batch costs 3-6 % here, which the user's path
// ÷ the non-durable bench path counted as the CLI's).
// Env: BENCH_ENTRIES (default 10 000), BENCH_PY_ENTRIES (2 000), BENCH_CLI_FACE (mc | udp),
// BENCH_COMPARE_ROUNDS (3).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { concatBytes, createPlainEntry, entryName, genesisPosition } from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { prepareDataDir, runCliCatchup } from './cli-catchup.mjs'
import { runHypercore } from './hypercore.mjs'
import { fmt, median, RESULTS_DIR, rate, save, table } from './lib.mjs'
import { PY_ENTRIES, runPythonOriginal } from './python-original.mjs'

const N = Number(process.env.BENCH_ENTRIES ?? 10_000)
// a run of 2 000 entries takes ~15 s; one stuck in the original's 10-second WANT rhythm is cut
// after two minutes here (not counted; BENCH_PY_TIMEOUT, seconds, as python-original.mjs takes it)
process.env.BENCH_PY_TIMEOUT ??= '120'
const ROUNDS = Math.max(1, Number(process.env.BENCH_COMPARE_ROUNDS ?? 3))

/** "median (min–max)" of rates, for the table. */
const spread = (xs) => (xs.length === 1 ? fmt(xs[0]) : `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`)

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

/** The bench path once (its own processes), as catchup.json has it; `durable`: its store syncs as the CLI's. */
function benchPath(durable) {
  const env = { ...process.env, BENCH_ENTRIES: String(N), BENCH_DURABLE: durable ? '1' : '0' }
  execFileSync(process.execPath, [fileURLToPath(new URL('catchup.mjs', import.meta.url))], { stdio: 'inherit', env })
  return JSON.parse(readFileSync(join(RESULTS_DIR, 'catchup.json'), 'utf8'))
}

const dir = mkdtempSync(join(tmpdir(), 'tinyssb-compare-'))
const rounds = []
/** The Python original's first run (whether it ran, and why not); every round's is in its round. */
let python
const PY_N = Math.min(PY_ENTRIES, N)
try {
  // one log for every round: each consumer starts from a copy of the data directory as made
  const pristine = join(dir, 'pristine')
  const { fid } = await prepareDataDir(pristine, N)
  /**
   * The user's path once, on a fresh copy of the data directory: its producer's first start adds
   * the trust anchors for nodeA's feed to nodeB (the consumer here) and nodeC (the Python one's).
   */
  const roundDir = (round) => join(dir, `round-${round}`)
  const userPath = (round) => {
    cpSync(pristine, roundDir(round), { recursive: true })
    return runCliCatchup({ data: roundDir(round), entries: N, fid, cons: 'nodeB' })
  }
  for (let i = 1; i <= ROUNDS; i++) {
    const round = {}
    // the two paths take turns going first: a host that slows down mid-round hits both alike
    for (const path of i % 2 ? ['bench', 'durable', 'user'] : ['user', 'durable', 'bench']) {
      if (path === 'bench') {
        console.log(`\n— round ${i}/${ROUNDS}: bench/catchup.mjs (${N} entries)`)
        round.catchup = benchPath(false)
      } else if (path === 'durable') {
        console.log(`\n— round ${i}/${ROUNDS}: bench/catchup.mjs, durable store (${N} entries)`)
        round.catchupDurable = benchPath(true)
      } else {
        console.log(`\n— round ${i}/${ROUNDS}: tinyssb prodcons (${N} entries)`)
        round.cli = await userPath(i)
        console.log(`${fmt(round.cli.entriesPerSec)} entries/s (${round.cli.face})`)
        // right after it, on its data directory (nodeC has its trust anchor and nothing more): the
        // two rates of a round are measured a few seconds apart, not minutes
        if (python?.ran !== false) {
          console.log(`\n— round ${i}/${ROUNDS}: the original Python demo (first ${PY_N} entries of the same log)`)
          round.python = await runPythonOriginal({ data: roundDir(i), fid, entries: PY_N })
          python ??= round.python
          console.log(round.python.ran ? `${fmt(round.python.entriesPerSec)} entries/s${round.python.partial ? ' (partial)' : ''}` : `not run: ${round.python.reason}`)
        }
      }
    }
    console.log(`\n— round ${i}/${ROUNDS}: hypercore (${N} × 48 B)`)
    round.hypercore = await runHypercore(N)
    console.log(`${fmt(round.hypercore.entriesPerSec)} blocks/s`)
    rounds.push(round)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

// each path's rate: the median of its rounds (the JSON keeps every round)
const rates = (k) => rounds.map((r) => r[k].entriesPerSec)
const catchup = { ...rounds[0].catchup, entriesPerSec: median(rates('catchup')), rounds: rates('catchup') }
const catchupDurable = { ...rounds[0].catchupDurable, entriesPerSec: median(rates('catchupDurable')), rounds: rates('catchupDurable') }
const cli = { ...rounds[0].cli, entriesPerSec: median(rates('cli')), rounds: rates('cli') }
const hypercore = { ...rounds[0].hypercore, entriesPerSec: median(rates('hypercore')), rounds: rates('hypercore') }
// a partial run (the original stuck in its 10-second WANT rhythm until the time limit) is not a rate
const pyRounds = rounds.filter((r) => r.python?.ran && !r.python.partial)
const pyRates = pyRounds.map((r) => r.python.entriesPerSec)
/**
 * A ratio: the median of each round's (its two rates measured in the same round, seconds apart).
 * A host that slowed down between two rounds moved a ratio of the medians by up to 30 % (the
 * two-core catch-ups suffer more from a busy neighbour than one core's raw verify or the original).
 */
const paired = (rs, f) => median(rs.map(f))
const userOverDurable = paired(rounds, (r) => r.cli.entriesPerSec / r.catchupDurable.entriesPerSec)
const goal = (name, measured, min, note) => ({ name, measured, goal: min, met: measured === undefined ? null : measured >= min, note })
const goals = [
  goal('bench path ÷ hypercore', paired(rounds, (r) => r.catchup.entriesPerSec / r.hypercore.entriesPerSec), 2),
  goal("user's path (tinyssb prodcons) ÷ hypercore", paired(rounds, (r) => r.cli.entriesPerSec / r.hypercore.entriesPerSec), 2),
  goal("user's path ÷ bench path, both durable (within 10 %)", userOverDurable, 0.9),
  // each catch-up ÷ the raw rate its client measured just before (catchup.json's ratio)
  goal('bench path ÷ one core raw verify (node:crypto, measured before each catch-up)', paired(rounds, (r) => r.catchup.ratio), 1),
  goal('bench path ÷ one core raw verify (libsodium)', raw.sodium && catchup.entriesPerSec / raw.sodium, 1, raw.sodium ? undefined : 'sodium-native not installed'),
  // each round's user's path ÷ the Python run right after it
  goal(
    "user's path ÷ the original Python demo (the same round)",
    pyRounds.length > 0 ? paired(pyRounds, (r) => r.cli.entriesPerSec / r.python.entriesPerSec) : undefined,
    100,
    !python.ran ? `not run: ${python.reason}` : pyRounds.length === 0 ? `partial runs only: ${python.reason}` : undefined,
  ),
]
const rows = [
  { what: `bench/catchup.mjs, entries/s${ROUNDS > 1 ? `, median of ${ROUNDS} (range)` : ''}`, value: spread(catchup.rounds), goal: '', met: '' },
  { what: 'bench/catchup.mjs with a durable store (as the CLI), entries/s', value: spread(catchupDurable.rounds), goal: '', met: '' },
  { what: `tinyssb prodcons (${cli.face}), entries/s`, value: spread(cli.rounds), goal: '', met: '' },
  { what: `hypercore ${hypercore.versions.hypercore} over loopback TCP, blocks/s`, value: spread(hypercore.rounds), goal: '', met: '' },
  ...(ROUNDS > 1 ? [{ what: "user's path ÷ durable bench path in each round", value: rounds.map((r) => fmt(r.cli.entriesPerSec / r.catchupDurable.entriesPerSec)).join(' '), goal: '', met: '' }] : []),
  { what: "user's path ÷ bench path (not durable: fdatasync counted as the CLI's)", value: `${fmt(paired(rounds, (r) => r.cli.entriesPerSec / r.catchup.entriesPerSec))}×`, goal: '', met: '' },
  { what: `original Python demo, entries/s${pyRates.length > 1 ? `, median of ${pyRates.length} (range)` : ''}`, value: !python.ran ? 'not run' : pyRates.length > 0 ? spread(pyRates) : 'partial runs only', goal: '', met: '' },
  { what: 'raw verify node:crypto / libsodium, one core, /s', value: `${fmt(raw.nodeCrypto)} / ${raw.sodium ? fmt(raw.sodium) : '-'}`, goal: '', met: '' },
  ...goals.map((g) => ({ what: g.name, value: g.measured === undefined ? g.note : `${fmt(g.measured)}×`, goal: `≥ ${g.goal}×`, met: g.met === null ? '-' : g.met ? 'yes' : 'NO' })),
]
console.log(`\n${table(rows)}`)
if (!python.ran) console.log(`\nThe original Python demo was not run: ${python.reason}`)
console.log(`written to ${save('compare', { entries: N, rounds: ROUNDS, rawVerifyPerSec: raw, catchup, catchupDurable, cli, hypercore, python, goals, perRound: rounds })}`)
