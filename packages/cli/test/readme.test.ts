// The README's session runs as written (data dir and multicast group swapped for test ones), and the
// README names every flag of the usage and every CliError code.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { usage } from '../src/main.js'
import { cli, freeUdpPort, here, killAll, requireBuilt, run, spawnCli, tempDir, testGroup, until } from './helpers.js'

const readme = readFileSync(here('../README.md'), 'utf8')
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)

/** The `tinyssb …` lines of a block, split into words like a shell would (quotes, comments). */
function commands(block: string): string[][] {
  return block
    .split('\n')
    .filter((l) => l.startsWith('tinyssb '))
    .map((l) => {
      const words: string[] = []
      for (const m of l.matchAll(/"([^"]*)"|(#.*)|(\S+)/g)) {
        if (m[2] !== undefined) break
        words.push(m[1] ?? m[3]!)
      }
      return words.slice(1)
    })
}

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  requireBuilt()
  tmp = tempDir()
})
afterEach(killAll)
afterAll(() => tmp.cleanup())

it('runs the session of the README', async () => {
  const session = blocks.find((b) => b.includes('tinyssb init'))!
  const data = join(tmp.path, 'demo')
  const cmds = commands(session).map((c) => c.map((w) => (w === 'demo' ? data : w)))
  expect(cmds.length).toBeGreaterThanOrEqual(8)
  for (const c of cmds) {
    const r = await run(...c)
    expect(r.code, `tinyssb ${c.join(' ')}: ${r.err.join('\n')}`).toBe(0)
  }
  const dump = await run('log', 'dump', '--data', data)
  expect(dump.out.at(-1)).toMatch(/chain20 .*"a sidechain holds content of any length, in 120-byte blobs"$/)

  // the producer and consumer of the second block, a few entries each way
  const [prodArgs, consArgs] = commands(blocks.find((b) => b.includes('--cons nodeB --mc'))!)
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

it('names every flag of the usage, every exit code and every CliError code', () => {
  const flags = new Set([...usage().matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))
  expect(flags.size).toBeGreaterThan(25)
  for (const f of flags) expect(readme, f).toContain(`\`${f}`)
  const codes = [...readFileSync(here('../src/errors.ts'), 'utf8').matchAll(/'(CLI_[A-Z_]+)'/g)].map((m) => m[1]!)
  expect(codes.length).toBeGreaterThanOrEqual(5)
  for (const c of codes) expect(readme, c).toContain(`\`${c}\``)
  for (const x of ['0', '1', '2', '70']) expect(readme).toMatch(new RegExp(`^\\| ${x} \\|`, 'm'))
})
