// `tinyssb chat` end to end: mutual replication between three processes on loopback multicast with
// intermittent connectivity — nodeA and nodeB are never online together, nodeC always is — and
// every node ends up with every feed, byte for byte. Plus the pieces around it.
import { existsSync, readdirSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { config, initDataPerTest, logFile, loopbackMc, oneErrorLine, run, spawnCli, until, type Spawned } from './helpers.js'

const e2e = initDataPerTest()

/** A chat process with its stdin open; `say` types lines, `bye` ends the input and waits for the exit. */
function chat(node: string, face: string[], json = true) {
  const p: Spawned = spawnCli(['chat', '--data', e2e.data, '--node', node, ...face, '--want-interval', '1', ...(json ? ['--json'] : [])], 60_000, { stdin: 'pipe' })
  return {
    p,
    say: (line: string) => void p.child.stdin!.write(`${line}\n`),
    bye: async () => {
      p.child.stdin!.end()
      return p.done
    },
    /** The JSON entry events printed so far. */
    entries: () =>
      p
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{"event":"entry"'))
        .map((l) => JSON.parse(l) as { name: string; seq: number; text?: string; type: string; own: boolean }),
    saw: (name: string, seq: number, text?: string) =>
      p
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{"event":"entry"'))
        .map((l) => JSON.parse(l) as { name: string; seq: number; text?: string })
        .some((e) => e.name === name && e.seq === seq && (text === undefined || e.text === text)),
  }
}

const started = (c: ReturnType<typeof chat>) => until(() => /chatting as/.test(c.p.stderr()), 15_000, 'chat to start')

async function dump(node: string, feedOf: string): Promise<string[]> {
  const r = await run('log', 'dump', '--data', e2e.data, '--node', node, '--feed', config(e2e.data, feedOf).feedID, '--json')
  expect(r.code, r.err.join('\n')).toBe(0)
  return r.out
}

describe('tinyssb chat', () => {
  it('A and B never online together, C always: they converge through C (sidechains too)', async () => {
    const mc = await loopbackMc()
    const long = `a line longer than 48 bytes goes into a sidechain: ${'x'.repeat(150)}`
    const c = chat('nodeC', mc)
    await started(c)

    // phase 1: A online with C
    const a = chat('nodeA', mc)
    await started(a)
    a.say('hello from A')
    a.say(long)
    await until(() => c.saw('nodeA', 1, 'hello from A') && c.saw('nodeA', 2, long), 20_000, 'C to get both of A\'s lines')
    expect(a.entries().filter((e) => e.own).map((e) => e.seq)).toEqual([1, 2])
    expect((await a.bye()).code).toBe(0)

    // phase 2: B online with C only: A's lines come from C
    const b = chat('nodeB', mc)
    await started(b)
    await until(() => b.saw('nodeA', 1, 'hello from A') && b.saw('nodeA', 2, long), 20_000, 'B to get A\'s lines from C')
    expect(b.entries().find((e) => e.seq === 2 && e.name === 'nodeA')!.type).toBe('chain20')
    b.say('hi from B, got yours')
    await until(() => c.saw('nodeB', 1, 'hi from B, got yours'), 20_000, 'C to get B\'s line')
    expect((await b.bye()).code).toBe(0)

    // phase 3: A again: B's line comes from C; A answers
    const a2 = chat('nodeA', mc, false) // the text format this time
    await started(a2)
    await until(() => a2.p.stdout().includes('[nodeB 1] hi from B, got yours'), 20_000, 'A to get B\'s line from C')
    a2.say('A again')
    await until(() => a2.p.stdout().includes('[nodeA 3] A again') && c.saw('nodeA', 3, 'A again'), 20_000, 'C to get A\'s third line')
    expect((await a2.bye()).code).toBe(0)
    expect((await c.bye()).code).toBe(0)
    expect(c.p.stdout()).not.toMatch(/"own":true/) // C typed nothing

    // every node holds every written feed, identical to its author's log (B is one entry behind on A: it left before A's [3])
    for (const author of ['nodeA', 'nodeB']) {
      const own = await dump(author, author)
      expect(await dump('nodeC', author)).toEqual(own)
    }
    expect(await dump('nodeA', 'nodeB')).toEqual(await dump('nodeB', 'nodeB'))
    expect(await dump('nodeB', 'nodeA')).toEqual((await dump('nodeA', 'nodeA')).slice(0, 2))
    for (const n of ['nodeA', 'nodeB', 'nodeC']) expect((await run('log', 'verify', '--data', e2e.data, '--node', n)).code).toBe(0)
  }, 120_000)

  it('adds a trust anchor per trusted feed on start; init itself writes none (the Python consumer follows one log only)', async () => {
    for (const n of ['nodeA', 'nodeB', 'nodeC']) expect(readdirSync(join(e2e.data, n, '_logs'))).toEqual([])
    const c = chat('nodeC', await loopbackMc(), false)
    await started(c)
    expect(c.p.stderr()).toMatch(/following nodeA \(trust anchor added\)/)
    expect(c.p.stderr()).toMatch(/following nodeB \(trust anchor added\)/)
    expect((await c.bye()).code).toBe(0)
    for (const n of ['nodeA', 'nodeB']) expect(existsSync(logFile(e2e.data, 'nodeC', config(e2e.data, n).feedID))).toBe(true)
    expect(existsSync(logFile(e2e.data, 'nodeC', config(e2e.data, 'nodeC').feedID))).toBe(false) // nothing typed: no own log
  }, 30_000)

  it('needs --node; refuses to fork a cut own feed without peers (one line, exit 1)', async () => {
    const r = await run('chat', '--data', e2e.data)
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toBe('tinyssb: chat needs --node NAME (e.g. --node nodeA)')
    await run('log', 'append', '--data', e2e.data, 'one')
    await run('log', 'append', '--data', e2e.data, 'two')
    truncateSync(logFile(e2e.data, 'nodeA', config(e2e.data).feedID), 128 * 2 + 1)
    const c = chat('nodeA', [...(await loopbackMc()), '--recover-timeout', '0.5'], false)
    const end = await c.p.done
    expect(end.code).toBe(1)
    expect(end.stderr).toMatch(/recovered only \[1\] → \[1\] of \[2\]/)
    expect(end.stderr).toMatch(/^tinyssb: nodeA's own feed .* was cut back from entry 2 to 1/m)
  }, 30_000)
})
