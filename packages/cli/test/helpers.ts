// Test helpers: the CLI in-process (captured Io), the built CLI as a child process (every child has
// a timeout and is killed by killAll()), temp dirs, loopback-only network parameters, the vectors.
import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { requireCommand } from '@tinyssb/testkit'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { main } from '../src/main.js'
import type { Io } from '../src/io.js'

export const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url))
export const CLI_DIR = here('..')
export const BIN = here('../bin/tinyssb.js')

/** What a command printed and returned. */
export interface RunResult {
  code: number
  out: string[]
  err: string[]
}

/** Runs `tinyssb argv…` in this process with a capturing Io. */
export async function run(...argv: string[]): Promise<RunResult> {
  const out: string[] = []
  const err: string[] = []
  const io: Io = { out: (l) => void out.push(...l.split('\n')), err: (l) => void err.push(...l.split('\n')), tty: false }
  const code = await main(argv, io)
  return { code, out, err }
}

/**
 * The failure rule of the CLI: exactly one line on stderr starts with "tinyssb: " (usage text may
 * follow it), and nothing looks like a stack trace. Returns that line.
 */
export function oneErrorLine(stderr: string[] | string): string {
  const lines = (typeof stderr === 'string' ? stderr.split('\n') : stderr).filter((l) => l !== '')
  const tagged = lines.filter((l) => l.startsWith('tinyssb: '))
  expect(tagged, lines.join('\n')).toHaveLength(1)
  expect(lines[0], 'the error line comes first').toBe(tagged[0])
  expect(lines.join('\n')).not.toMatch(/^\s+at |^\w*Error: |node:internal|\.js:\d+:\d+/m)
  return tagged[0]!
}

/** A fresh temp dir per test. */
export function tempDir(prefix = 'tinyssb-cli-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

/** nodeX's config.json, parsed. */
export function config(data: string, node = 'nodeA'): { name: string; feedID: string; secret: string; msgID0: string; trusted: [string, number, string][] } {
  return JSON.parse(readFileSync(join(data, node, 'config.json'), 'utf8'))
}

/** The path of `fid`'s log file in node `node`. */
export const logFile = (data: string, node: string, fid: string): string => join(data, node, '_logs', `${fid}.log`)

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n)
      if (statSync(p).isDirectory()) walk(p, rel ? `${rel}/${n}` : n)
      else out.push(rel ? `${rel}/${n}` : n)
    }
  }
  walk(dir, '')
  return out.sort()
}

// ---- child processes ----------------------------------------------------------------------------

const children = new Set<ChildProcess>()

/** The result of a spawned command. */
export interface Spawned {
  readonly child: ChildProcess
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>
  stdout(): string
  stderr(): string
}

/** Fails loudly when the built CLI is missing or older than its sources (spawned tests run dist/). */
export function requireBuilt(): void {
  const dist = join(CLI_DIR, 'dist')
  const info = join(dist, '.tsbuildinfo')
  if (!existsSync(join(dist, 'main.js')) || !existsSync(info)) throw new Error(`${dist} is missing: build first (turbo run build)`)
  const builtAt = statSync(info).mtimeMs
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]))
  for (const src of walk(join(CLI_DIR, 'src'))) {
    const out = join(dist, src.slice(join(CLI_DIR, 'src').length).replace(/\.ts$/, '.js'))
    const outAt = existsSync(out) ? Math.max(statSync(out).mtimeMs, builtAt) : 0
    if (outAt + 1000 < statSync(src).mtimeMs) throw new Error(`${out} is older than ${src}: rebuild first (turbo run build)`)
  }
}

/** Where and what a child runs (default: bin/tinyssb.js in the package directory). */
export interface SpawnOptions {
  cwd?: string
  /** The script to run (default: bin/tinyssb.js). */
  bin?: string
  /** 'pipe': the child's stdin is `child.stdin` (write lines, end() for end of input). Default: ignored. */
  stdin?: 'pipe' | 'ignore'
}

/** Starts `node bin/tinyssb.js args…`; SIGKILLed after `timeoutMs` (and by killAll). */
export function spawnCli(args: string[], timeoutMs = 30_000, opts: SpawnOptions = {}): Spawned {
  const child = spawn(process.execPath, [opts.bin ?? BIN, ...args], {
    cwd: opts.cwd ?? CLI_DIR,
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  })
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child)
      resolve({ code, signal, stdout, stderr })
    }),
  )
  return { child, done, stdout: () => stdout, stderr: () => stderr }
}

/** Runs the built CLI to the end. */
export async function cli(args: string[], timeoutMs = 30_000, opts: SpawnOptions = {}) {
  return spawnCli(args, timeoutMs, opts).done
}

/** Kills every child still running (afterEach). */
export async function killAll(): Promise<void> {
  const waits = [...children].map(
    (c) =>
      new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve()
        c.once('close', () => resolve())
        c.kill('SIGKILL')
      }),
  )
  await Promise.all(waits)
}

/** Waits until `check()` holds, polling every 20 ms; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The data directory of the running test, see {@link initDataPerTest}. */
export interface TestData {
  /** The data directory, made by `tinyssb init` (nodeA, nodeB, nodeC). */
  readonly data: string
  /** nodeA's feed ID, hex. */
  readonly fidA: string
}

/**
 * Registers the hooks of a test file that runs the built CLI on a fresh data directory: the build
 * is checked first; before each test, a new temp dir with `tinyssb init` data; after each, every
 * child is killed and the temp dir removed. Returns a view of the running test's `data` and `fidA`.
 */
export function initDataPerTest(): TestData {
  let tmp: ReturnType<typeof tempDir> | undefined
  const current = { data: '', fidA: '' }
  beforeAll(requireBuilt)
  beforeEach(async () => {
    tmp = tempDir()
    current.data = join(tmp.path, 'data')
    expect((await run('init', '--data', current.data)).code).toBe(0)
    current.fidA = config(current.data).feedID
  })
  afterEach(async () => {
    await killAll()
    tmp?.cleanup()
  })
  afterAll(killAll)
  return current
}

// ---- loopback network ---------------------------------------------------------------------------

/** A UDP port that was free on 127.0.0.1 a moment ago. */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4')
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve))
  const { port } = s.address()
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

/** A random administratively scoped test group, never the default 224.1.1.1. */
export function testGroup(): string {
  return `239.255.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`
}

/** `--mc GROUP/PORT --iface 127.0.0.1 --ttl 1`: multicast that stays on this machine. */
export async function loopbackMc(): Promise<string[]> {
  return ['--mc', `${testGroup()}/${await freeUdpPort()}`, '--iface', '127.0.0.1', '--ttl', '1']
}

// ---- socat pseudo-terminal pair -----------------------------------------------------------------

/** Fails (never skips) when socat is missing, naming the install line. */
export function requireSocat(): void {
  requireCommand('socat', 'the KISS end-to-end test')
}

/** `socat -d -d pty,raw,echo=0,link=DIR/ttyA pty,raw,echo=0,link=DIR/ttyB`, waited for. */
export async function ptyPair(dir: string, timeoutMs = 5000): Promise<{ a: string; b: string; stop(): Promise<void> }> {
  requireSocat()
  const a = join(dir, 'ttyA')
  const b = join(dir, 'ttyB')
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] })
  children.add(child)
  child.once('close', () => children.delete(child))
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const deadline = Date.now() + timeoutMs
  while (!(existsSync(a) && existsSync(b) && stderr.includes('starting data transfer loop'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`socat did not create the pty pair in ${timeoutMs} ms: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  return {
    a,
    b,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('close', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

// ---- vectors ------------------------------------------------------------------------------------

/** One file of the poc-01 vectors (vectors/ at the repository root; TINYSSB_VECTORS overrides). */
export { loadVectors } from '@tinyssb/testkit'
