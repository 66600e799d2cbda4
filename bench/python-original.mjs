// The original Python demo (tschudin/tinyssb, src/poc-01 test_prodcons.py, pure-Python ed25519) on
// our data directory: its producer serves nodeA's log, its consumer (nodeC) catches up entry by
// entry, as the original does. Its multicast face uses the default interface (224.1.1.1/5000, no
// way to bind it to 127.0.0.1), so both run in a network namespace of their own (unshare --net:
// only a loopback device, nothing leaves it). Needs python3, a copy of the original
// (TINYSSB_PY_ORIGINAL = its src/poc-01, default os.tmpdir()/tinyssb-python-original/src/poc-01,
// else a git clone is tried there) and unshare; when something is missing it reports why instead.
// pyserial is imported by the original for KISS faces, which this run never opens: when it is not
// installed, an empty stand-in module satisfies the import (reported as pyserialStub).
// usage: node python-original.mjs   (writes bench-results/python-original.json)
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fmt, onTimedLines, save, table } from './lib.mjs'

const HERE = fileURLToPath(import.meta.url)
const CLONE_DIR = join(tmpdir(), 'tinyssb-python-original')
/** Entries the Python consumer is timed on (a prefix of the log): it takes ~7 ms each. */
export const PY_ENTRIES = Number(process.env.BENCH_PY_ENTRIES ?? 2000)

const ok = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 }).status === 0

/** Where the original's src/poc-01 is, fetching it when possible; or why it is not there. */
function locateOriginal() {
  const dir = process.env.TINYSSB_PY_ORIGINAL ?? join(CLONE_DIR, 'src', 'poc-01')
  if (!existsSync(join(dir, 'test_prodcons.py')) && !process.env.TINYSSB_PY_ORIGINAL) {
    rmSync(CLONE_DIR, { recursive: true, force: true })
    ok('git', ['clone', '--quiet', '--depth', '1', 'https://github.com/tschudin/tinyssb', CLONE_DIR])
  }
  if (!existsSync(join(dir, 'test_prodcons.py'))) {
    return { reason: `no copy of the Python original at ${dir} (set TINYSSB_PY_ORIGINAL to a checkout's src/poc-01 of github.com/tschudin/tinyssb; a git clone failed)` }
  }
  let commit
  try {
    commit = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    commit = undefined
  }
  return { dir, commit }
}

/**
 * Runs the original demo on a copy of `data` (nodeA's log of ≥ `entries` entries, nodeC holding a
 * trust anchor for it) and times its consumer over the first `entries` entries.
 * @returns `{ ran: true, entriesPerSec, … }`, or `{ ran: false, reason }`.
 */
export async function runPythonOriginal({ data, fid, entries = PY_ENTRIES }) {
  const src = locateOriginal()
  if (!src.dir) return { ran: false, reason: src.reason }
  if (!ok('python3', ['-c', 'import sys; assert sys.version_info >= (3, 6)'])) return { ran: false, reason: 'python3 (3.6 or later) is not installed' }
  if (!ok('unshare', ['--net', '--map-root-user', 'true'])) {
    return { ran: false, reason: 'cannot make a network namespace (unshare --net): the original multicasts on the default interface, which this bench does not do outside one' }
  }
  const work = mkdtempSync(join(tmpdir(), 'tinyssb-pyorig-'))
  try {
    cpSync(data, join(work, 'data'), { recursive: true })
    const pyPath = [src.dir]
    const pyserialStub = !ok('python3', ['-c', 'import serial'])
    if (pyserialStub) {
      mkdirSync(join(work, 'stub'))
      writeFileSync(join(work, 'stub', 'serial.py'), '# stand-in for pyserial: the original imports it for KISS faces, unused here\n')
      pyPath.push(join(work, 'stub'))
    }
    const setup = 'ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo'
    const inner = spawnSync(
      'unshare',
      ['--net', '--map-root-user', 'sh', '-c', `${setup} && exec "$0" "$1" inner "$2" "$3" "$4" "$5"`, process.execPath, HERE, work, src.dir, fid, String(entries)],
      { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pyPath.join(':') }, timeout: 900_000, maxBuffer: 1 << 20 },
    )
    const line = inner.stdout?.trim().split('\n').pop() ?? ''
    let r
    try {
      r = JSON.parse(line)
    } catch {
      return { ran: false, reason: `the namespace run failed (exit ${inner.status}): ${(inner.stderr ?? '').trim().slice(-400)}` }
    }
    return { ...r, commit: src.commit, pyserialStub, python: execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim() }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** In the namespace: the original's producer and consumer; prints one JSON line. */
async function inner(work, srcDir, fid, entries) {
  const script = join(srcDir, 'test_prodcons.py')
  const py = (args, onLine) => {
    // stdin stays open: the demo quits at the end of its input ("Enter return to terminate")
    const child = spawn('python3', ['-u', script, ...args], { cwd: work, stdio: ['pipe', 'pipe', 'pipe'] })
    onTimedLines(child.stdout, onLine)
    child.stderr.on('data', () => {})
    return child
  }
  let producerUp
  const up = new Promise((r) => (producerUp = r))
  const producer = py([], (line) => line.includes('starting thread with IO loop') && producerUp())
  const result = { ran: true, entries, face: 'mc 224.1.1.1/5000 in a private network namespace' }
  try {
    await Promise.race([up, new Promise((_, no) => setTimeout(() => no(new Error('the producer did not start')), 30_000))])
    await new Promise((r) => setTimeout(r, 500))
    const t0 = performance.now()
    let first
    let front = 0
    let done
    const reached = new Promise((r) => (done = r))
    const consumer = py(['-cons', 'nodeC'], (line, t) => {
      const m = /append ([0-9a-f]+)\.\[(\d+)\]/.exec(line)
      if (!m || !fid.startsWith(m[1])) return
      front = Number(m[2])
      first ??= t
      if (front >= entries) done(t)
    })
    const limit = Number(process.env.BENCH_PY_TIMEOUT ?? 600) * 1000
    const end = await Promise.race([reached, new Promise((r) => setTimeout(() => r(undefined), limit))])
    consumer.kill('SIGKILL')
    if (end === undefined) {
      Object.assign(result, { ran: first !== undefined, partial: true, reason: `timed out after ${limit / 1000} s at entry ${front}` })
      if (first !== undefined) Object.assign(result, { entries: front, seconds: (performance.now() - first) / 1000, entriesPerSec: front / ((performance.now() - first) / 1000) })
    } else {
      // from the first entry appended: Python's start-up (imports, multicast set-up) is left out
      const seconds = (end - first) / 1000
      Object.assign(result, { seconds, entriesPerSec: (entries - 1) / seconds, wallSeconds: (end - t0) / 1000 })
    }
  } catch (err) {
    Object.assign(result, { ran: false, reason: String(err?.message ?? err) })
  } finally {
    producer.kill('SIGKILL')
  }
  console.log(JSON.stringify(result))
  process.exit(0)
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'inner') await inner(...rest.slice(0, 3), Number(rest[3]))
else if (process.argv[1] === HERE) {
  const { prepareDataDir, runCliCatchup } = await import('./cli-catchup.mjs')
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-pyorig-data-'))
  try {
    const data = join(dir, 'data')
    const { fid } = await prepareDataDir(data, PY_ENTRIES)
    // our producer's first start adds the trust anchors (nodeB, nodeC); our consumer replicates on nodeB
    const ours = await runCliCatchup({ data, entries: PY_ENTRIES, fid })
    const r = await runPythonOriginal({ data, fid, entries: PY_ENTRIES })
    const ratio = r.ran ? ours.entriesPerSec / r.entriesPerSec : undefined
    console.log(
      table([
        { measure: `original Python demo, ${r.entries ?? PY_ENTRIES} entries, entries/s`, value: r.ran ? fmt(r.entriesPerSec) : `not run: ${r.reason}` },
        { measure: 'tinyssb prodcons on the same log, entries/s', value: fmt(ours.entriesPerSec) },
        { measure: 'ratio (goal ≥ 100)', value: ratio === undefined ? '-' : fmt(ratio) },
      ]),
    )
    console.log(`written to ${save('python-original', { python: r, cli: ours, ratio })}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
