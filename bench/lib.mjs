// Shared bench helpers: timing loops and result files. Absolute rates vary a lot on a shared
// machine; the numbers that matter are ratios measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results')

/** Operations per second of `fn` (sync or async), run for about `ms` milliseconds after a warm-up. */
export async function rate(fn, ms = 1500) {
  for (let i = 0; i < 50; i++) await fn(i)
  let n = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < ms) {
    for (let k = 0; k < 20; k++) await fn(n++)
    t = performance.now()
  }
  return (n * 1000) / (t - t0)
}

export function table(rows) {
  const cols = Object.keys(rows[0])
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (vals) => vals.map((v, i) => String(v).padEnd(w[i])).join('  ')
  return [line(cols), line(w.map((n) => '-'.repeat(n))), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n')
}

export function save(name, result) {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `${name}.json`)
  // the load average says how much other work shared the machine during the run
  const machine = { cores: availableParallelism(), loadavg: loadavg().map((x) => Math.round(x * 100) / 100) }
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, machine, ...result }, null, 2) + '\n')
  return file
}

/** The median of `xs` (undefined values left out; the mean of the middle two for an even count; undefined for none). */
export function median(xs) {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length === 0 ? undefined : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2))

/**
 * Calls `onLine(line, t)` for each line of a child's output `stream`, ANSI color codes removed, `t`
 * being the `performance.now()` at which the chunk that completed the line arrived.
 */
export function onTimedLines(stream, onLine) {
  let buf = ''
  stream.on('data', (d) => {
    const t = performance.now()
    buf += d
    let i
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\x1b\[[0-9;]*m/g, ''), t)
      buf = buf.slice(i + 1)
    }
  })
}

/**
 * Awaits `done`; when it takes longer than `ms`, prints `describe()` on stderr and exits the process
 * with 1 (a benchmark stops by itself).
 */
export async function within(done, describe, ms = 300_000) {
  let timer
  const late = new Promise(() => {
    timer = setTimeout(() => {
      console.error(describe())
      process.exit(1)
    }, ms)
  })
  try {
    await Promise.race([done, late])
  } finally {
    clearTimeout(timer)
  }
}

/** The answer of a forked bench server to 'stats'. */
export function askStats(child) {
  child.send('stats')
  return new Promise((r) => child.once('message', r))
}
