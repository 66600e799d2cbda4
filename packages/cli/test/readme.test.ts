// Every command line of the README (and of the root README's CLI section) works as written: the
// offline ones (init, repo, log, --help, --version) run against a temp dir, the session's producer
// and consumer run on loopback multicast, the others parse. The README names every flag of every
// registered command, every exit code and every CliError code; `npx tinyssb` works from the root.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../src/commands/index.js'
import { faceSpecs } from '../src/face-args.js'
import { parse } from '../src/args.js'
import { cli, freeUdpPort, here, killAll, requireBuilt, run, spawnCli, tempDir, testGroup, until } from './helpers.js'

const readme = readFileSync(here('../README.md'), 'utf8')
const ROOT = here('../../..')
const rootReadme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The ```sh blocks of a Markdown text. */
const blocks = (md: string): string[] => [...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)

/** The `npx tinyssb …` lines of a block, split into words like a shell would (quotes, comments); without "npx tinyssb". */
function commands(block: string): string[][] {
  return block
    .split('\n')
    .filter((l) => l.startsWith('npx tinyssb '))
    .map((l) => {
      const words: string[] = []
      for (const m of l.matchAll(/"([^"]*)"|(#.*)|(\S+)/g)) {
        if (m[2] !== undefined) break
        words.push(m[1] ?? m[3]!)
      }
      return words.slice(2)
    })
}

/** Lines that do not touch the network or hardware. */
const offline = (c: string[]): boolean => ['init', 'repo', 'log'].includes(c[0]!) || c.some((w) => ['--help', '-h', '--version', '-V'].includes(w))

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  requireBuilt()
  tmp = tempDir()
})
afterEach(killAll)
afterAll(() => tmp.cleanup())

describe.each([
  ['packages/cli/README.md', readme],
  ['README.md', rootReadme],
])('%s', (name, md) => {
  const all = blocks(md).flatMap(commands)

  it('shows tinyssb only as `npx tinyssb` in its command blocks (no pnpm exec, no bare tinyssb)', () => {
    expect(all.length).toBeGreaterThanOrEqual(name === 'README.md' ? 5 : 12)
    for (const b of blocks(md)) {
      for (const l of b.split('\n')) expect(l, `${name}: ${l}`).not.toMatch(/^(pnpm exec )?tinyssb |pnpm exec/)
    }
  })

  it('runs each offline command line in order against a temp dir', async () => {
    const dir = join(tmp.path, name.replaceAll('/', '_'))
    const swap = (w: string): string => (w === 'demo' ? join(dir, 'demo') : w === './data' ? join(dir, 'data') : w)
    let ran = 0
    for (const c of all.filter(offline).map((c) => c.map(swap))) {
      const r = await run(...c)
      expect(r.code, `tinyssb ${c.join(' ')}: ${r.err.join('\n')}`).toBe(0)
      ran++
    }
    expect(ran).toBeGreaterThanOrEqual(name === 'README.md' ? 5 : 11)
  })

  it('every other command line parses with its command\'s flags', async () => {
    for (const c of all.filter((c) => !offline(c))) {
      const entry = COMMANDS.find((e) => e.name === c[0])
      expect(entry, c.join(' ')).toBeDefined()
      const command = await entry!.load()
      const { values } = parse(c.slice(1), command.flags)
      expect(() => faceSpecs(values as Parameters<typeof faceSpecs>[0]), c.join(' ')).not.toThrow()
    }
  })
})

it('runs the session of the README: the producer and a consumer on loopback multicast', async () => {
  const data = join(tmp.path, 'session')
  for (const c of commands(blocks(readme).find((b) => b.includes('tinyssb init --data demo'))!)) {
    const r = await run(...c.map((w) => (w === 'demo' ? data : w)))
    expect(r.code, `tinyssb ${c.join(' ')}: ${r.err.join('\n')}`).toBe(0)
  }
  const dump = await run('log', 'dump', '--data', data)
  expect(dump.out.at(-1)).toMatch(/chain20 .*"a sidechain holds content of any length, in 120-byte blobs"$/)

  const [prodArgs, consArgs] = commands(blocks(readme).find((b) => b.includes('--cons nodeB --mc'))!)
  const group = `${testGroup()}/${await freeUdpPort()}`
  const fix = (c: string[]) => c.map((w) => (w === 'demo' ? data : w.startsWith('239.255.42.1/') ? group : w))
  expect(prodArgs).toContain('--iface')
  const prod = spawnCli([...fix(prodArgs!), '--interval', '0.1', '--count', '3'], 40_000)
  await until(() => /enqueued for first time/.test(prod.stdout()) || prod.child.exitCode !== null, 15_000, 'the producer')
  const cons = await cli([...fix(consArgs!), '--until', '13', '--timeout', '20', '--want-interval', '1'], 40_000)
  expect(cons.code, cons.stdout + cons.stderr).toBe(0)
  prod.child.kill('SIGTERM')
  expect((await prod.done).code).toBe(0)
}, 60_000)

it('names every command and every flag of every command, every exit code and every CliError code', async () => {
  let flags = 0
  for (const entry of COMMANDS) {
    expect(readme, entry.name).toContain(`\`tinyssb ${entry.name}`)
    for (const f of Object.keys((await entry.load()).flags)) {
      expect(readme, `${entry.name} --${f}`).toContain(`\`--${f}`)
      flags++
    }
  }
  expect(flags).toBeGreaterThan(40)
  const codes = [...readFileSync(here('../src/errors.ts'), 'utf8').matchAll(/'(CLI_[A-Z_]+)'/g)].map((m) => m[1]!)
  expect(codes.length).toBeGreaterThanOrEqual(8)
  for (const c of codes) expect(readme, c).toContain(`\`${c}\``)
  for (const x of ['0', '1', '2', '70']) expect(readme).toMatch(new RegExp(`^\\| ${x} \\|`, 'm'))
})

it('`npx tinyssb` works from the repository root (the bin of the root devDependency)', () => {
  const r = spawnSync('npx', ['--no', 'tinyssb', '--version'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
})
