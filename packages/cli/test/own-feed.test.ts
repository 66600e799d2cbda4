// Never fork your own feed: `log repair` (what was cut), appends refused after a cut or a lost log
// (CLI_FORK) unless --force, `log recover` and the producer's recovery on start, end to end over
// loopback multicast (a consumer that holds the entries serves them back).
import { copyFileSync, cpSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, config, initDataPerTest, logFile, loopbackMc, oneErrorLine, run, spawnCli, until } from './helpers.js'

const e2e = initDataPerTest()

const marker = () => join(e2e.data, 'nodeA', 'feed-recovery.json')
async function dump(node: string, feed = e2e.fidA): Promise<string[]> {
  const r = await run('log', 'dump', '--data', e2e.data, '--node', node, '--feed', feed, '--json')
  expect(r.code, r.err.join('\n')).toBe(0)
  return r.out
}
/** nodeA's 7 entries (repo), and the same log and blobs in nodeB (a replica from the genesis is the same file). */
async function sevenEntriesAlsoInB(): Promise<void> {
  expect((await run('repo', '--data', e2e.data)).code).toBe(0)
  copyFileSync(logFile(e2e.data, 'nodeA', e2e.fidA), logFile(e2e.data, 'nodeB', e2e.fidA))
  cpSync(join(e2e.data, 'nodeA', '_blob'), join(e2e.data, 'nodeB', '_blob'), { recursive: true })
}

describe('appends that would fork the own feed', () => {
  it('a fresh node appends its genesis entry; a lost log (it had entries) is refused, --force warns', async () => {
    expect((await run('log', 'append', '--data', e2e.data, 'first')).code).toBe(0)
    expect((await run('log', 'append', '--data', e2e.data, 'second')).code).toBe(0)
    rmSync(logFile(e2e.data, 'nodeA', e2e.fidA))
    const r = await run('log', 'append', '--data', e2e.data, 'again')
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.err)).toMatch(/^tinyssb: nodeA's own feed [0-9a-f]{16}… had 2 entries here, but its log is gone: .*log recover --node nodeA/)
    expect(existsSync(logFile(e2e.data, 'nodeA', e2e.fidA))).toBe(false)
    const repo = await run('repo', '--data', e2e.data)
    expect(repo.code).toBe(1) // repo appends too
    const f = await run('log', 'append', '--data', e2e.data, '--force', 'a new genesis')
    expect(f.code).toBe(0)
    expect(f.out[0]).toMatch(/\.\[1\] /)
    expect(f.err[0]).toMatch(/^tinyssb: warning: --force: .*fork/)
  })

  it('a log shorter than the front seen before (an old copy put back) counts as cut back', async () => {
    await run('log', 'append', '--data', e2e.data, 'one')
    const old = readFileSync(logFile(e2e.data, 'nodeA', e2e.fidA))
    await run('log', 'append', '--data', e2e.data, 'two')
    await run('log', 'append', '--data', e2e.data, 'three')
    writeFileSync(logFile(e2e.data, 'nodeA', e2e.fidA), old)
    const r = await run('log', 'append', '--data', e2e.data, 'four')
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.err)).toMatch(/was cut back from entry 3 to 1/)
    expect(JSON.parse(readFileSync(marker(), 'utf8'))).toMatchObject({ feedID: e2e.fidA, frontBefore: 3, frontAfter: 1 })
  })
})

describe('tinyssb log repair', () => {
  it('cuts damage in the middle, reports what was cut, and the own feed then waits for a recovery', async () => {
    expect((await run('repo', '--data', e2e.data)).code).toBe(0)
    const file = logFile(e2e.data, 'nodeA', e2e.fidA)
    const bytes = readFileSync(file)
    bytes[128 * 3 + 8 + 60]! ^= 0xff // a byte inside entry 3's signature
    writeFileSync(file, bytes)
    const v = await run('log', 'verify', '--data', e2e.data)
    expect(v.code).toBe(1)
    expect(oneErrorLine(v.err)).toMatch(/entry \[3\]: .*log repair --node nodeA/)
    expect(readFileSync(file)).toEqual(bytes) // verify is read-only

    const r = await run('log', 'repair', '--data', e2e.data)
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(r.out[0]).toBe(`repaired ${e2e.fidA}: front [7] → [2], 5 entries cut, ${128 * 5} bytes`)
    expect(r.out.join('\n')).toMatch(/damaged-middle: front \[7\] → \[2\]/)
    expect(r.out.join('\n')).toMatch(/this is nodeA's own feed: appends are refused until "tinyssb log recover --node nodeA" gets entries \[3\.\.7\] back/)
    expect(r.out.at(-1)).toBe('nodeA: 1 log checked, 5 entries cut')
    expect((await run('log', 'verify', '--data', e2e.data)).code).toBe(0)
    const a = await run('log', 'append', '--data', e2e.data, 'x')
    expect(a.code).toBe(1)
    expect(oneErrorLine(a.err)).toMatch(/cut back from entry 7 to 2/)

    const again = await run('log', 'repair', '--data', e2e.data) // nothing left to do
    expect(again.out).toEqual([`ok ${e2e.fidA} front [2]: nothing to repair`, 'nodeA: 1 log checked, 0 entries cut'])
  })

  it('a replica: the cut entries come again from peers (no marker); an unknown --feed is CLI_NOT_FOUND', async () => {
    await sevenEntriesAlsoInB()
    truncateSync(logFile(e2e.data, 'nodeB', e2e.fidA), 128 * 5 + 7)
    const r = await run('log', 'repair', '--data', e2e.data, '--node', 'nodeB')
    expect(r.code).toBe(0)
    expect(r.out.join('\n')).toMatch(/a replica: the cut entries are fetched again from peers/)
    expect(existsSync(join(e2e.data, 'nodeB', 'feed-recovery.json'))).toBe(false)
    const bad = await run('log', 'repair', '--data', e2e.data, '--feed', '00'.repeat(32))
    expect(bad.code).toBe(1)
    expect(oneErrorLine(bad.err)).toMatch(/CLI_NOT_FOUND|has no log for feed 0000/)
  })
})

describe('tinyssb log verify on every core', () => {
  it('checks every log with a worker pool, names the first bad one and how many more; --workers is checked', async () => {
    await sevenEntriesAlsoInB()
    for (let i = 0; i < 3; i++) expect((await run('log', 'append', '--data', e2e.data, '--node', 'nodeB', `b${i}`)).code).toBe(0)
    const fidB = config(e2e.data, 'nodeB').feedID
    const ok = await run('log', 'verify', '--data', e2e.data, '--node', 'nodeB', '--workers', '2')
    expect(ok.code, ok.err.join('\n')).toBe(0)
    expect([...ok.out].sort()).toEqual([`ok ${e2e.fidA} 7 entries, front [7]`, `ok ${fidB} 3 entries, front [3]`, 'nodeB: 2 logs verified'].sort())
    for (const [fid, seq] of [[e2e.fidA, 5], [fidB, 2]] as const) {
      const file = logFile(e2e.data, 'nodeB', fid)
      const b = readFileSync(file)
      b[128 * seq + 8 + 90]! ^= 0x10 // a signature byte
      writeFileSync(file, b)
    }
    const bad = await run('log', 'verify', '--data', e2e.data, '--node', 'nodeB', '--workers', '1')
    expect(bad.code).toBe(1)
    expect(oneErrorLine(bad.err)).toMatch(/entry \[(5|2)\]: entry \d has a bad signature \(PACKET_SIGNATURE\) — "tinyssb log repair --node nodeB" cuts it back to what verifies \(and 1 more bad log\)$/)
    expect((await run('log', 'verify', '--data', e2e.data, '--workers', '0')).code).toBe(2)
    const r = await run('log', 'repair', '--data', e2e.data, '--node', 'nodeB')
    expect(r.out.at(-1)).toBe('nodeB: 2 logs checked, 5 entries cut') // A's replica [5..7] and B's own [2..3]
    expect((await run('log', 'verify', '--data', e2e.data, '--node', 'nodeB')).code).toBe(0)
  })
})

describe('recovering the own feed from peers (loopback multicast)', () => {
  it('log recover: a cut log gets its entries back from a consumer that holds them; appends are safe again', async () => {
    await sevenEntriesAlsoInB()
    truncateSync(logFile(e2e.data, 'nodeA', e2e.fidA), 128 * 4) // 3 entries left
    const mc = await loopbackMc()
    const b = spawnCli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--want-interval', '1'], 40_000)
    await until(() => /replica of/.test(b.stdout()), 15_000, 'nodeB to serve')
    const r = await cli(['log', 'recover', '--data', e2e.data, ...mc, '--timeout', '20'], 30_000)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/recovered nodeA's own feed: \[3\] → \[7\], 4 entries from peers/)
    expect(existsSync(marker())).toBe(false)
    expect(await dump('nodeA')).toEqual(await dump('nodeB'))
    const a = await run('log', 'append', '--data', e2e.data, 'safe again')
    expect(a.code, a.err.join('\n')).toBe(0)
    expect(a.out[0]).toMatch(/\.\[8\] /)
  }, 60_000)

  it('log recover: a deleted log comes back from the genesis; with nobody holding it, it says how far it got (exit 1)', async () => {
    await sevenEntriesAlsoInB()
    rmSync(logFile(e2e.data, 'nodeA', e2e.fidA))
    const mc = await loopbackMc()
    const none = await cli(['log', 'recover', '--data', e2e.data, ...mc, '--timeout', '1.5', '--json'], 20_000)
    expect(none.code).toBe(1)
    const last = JSON.parse(none.stdout.trim().split('\n').at(-1)!)
    expect(last).toMatchObject({ event: 'recovered', state: 'missing', front: 0, target: 7, complete: false })
    expect(oneErrorLine(none.stderr)).toMatch(/still short of entry 7/)
    expect(existsSync(logFile(e2e.data, 'nodeA', e2e.fidA))).toBe(false) // the empty log made for it is gone again

    const b = spawnCli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--want-interval', '1'], 40_000)
    await until(() => /replica of/.test(b.stdout()), 15_000, 'nodeB to serve')
    const r = await cli(['log', 'recover', '--data', e2e.data, ...mc, '--timeout', '20'], 30_000)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/recovered nodeA's own feed: \[0\] → \[7\]/)
    expect(await dump('nodeA')).toEqual(await dump('nodeB'))
  }, 60_000)

  it('the producer recovers its cut log from a running consumer before it appends: no fork, the consumer goes on', async () => {
    await sevenEntriesAlsoInB()
    truncateSync(logFile(e2e.data, 'nodeA', e2e.fidA), 128 * 3 + 50) // entry 3 torn: 2 entries left
    const mc = await loopbackMc()
    const b = spawnCli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--want-interval', '1'], 40_000)
    await until(() => /replica of/.test(b.stdout()), 15_000, 'nodeB to serve')
    const p = await cli(['prodcons', '--data', e2e.data, ...mc, '--interval', '0.2', '--count', '2', '--timeout', '6', '--want-interval', '1'], 30_000)
    expect(p.code, p.stdout + p.stderr).toBe(0)
    expect(p.stdout).toMatch(/asking peers for entries \[3\.\.7\]/)
    expect(p.stdout).toMatch(/recovered nodeA's own feed: \[2\] → \[7\]/)
    expect(p.stdout).toMatch(/\[9\] enqueued for first time/)
    await until(() => /append [0-9a-f]+\.\[9\]|now at \[9\]|nodeA \[9\]/.test(b.stdout()), 10_000, 'nodeB to get [9]')
    expect(await dump('nodeB')).toEqual(await dump('nodeA')) // one chain: the consumer verified 8 and 9 on top of 7
    expect((await dump('nodeA')).length).toBe(9)
  }, 60_000)

  it('the producer with nobody to recover from: one clear line (exit 1) within --recover-timeout; --force goes on', async () => {
    await run('log', 'append', '--data', e2e.data, 'one')
    await run('log', 'append', '--data', e2e.data, 'two')
    truncateSync(logFile(e2e.data, 'nodeA', e2e.fidA), 128 * 2 + 10)
    const mc = await loopbackMc()
    const p = await cli(['prodcons', '--data', e2e.data, ...mc, '--count', '0', '--recover-timeout', '1', '--timeout', '5'], 20_000)
    expect(p.code).toBe(1)
    expect(p.stdout).toMatch(/recovered only \[1\] → \[1\] of \[2\]/)
    expect(oneErrorLine(p.stderr.split('\n').filter((l) => !l.includes('warning')).join('\n'))).toMatch(/CLI_FORK|cut back from entry 2 to 1/)
    const f = await cli(['prodcons', '--data', e2e.data, ...mc, '--count', '1', '--interval', '0.1', '--recover-timeout', '0.5', '--timeout', '5', '--force'], 20_000)
    expect(f.code, f.stderr).toBe(0)
    expect(f.stderr).toMatch(/--force: .*fork/)
    expect(f.stdout).toMatch(/\[2\] enqueued for first time/)
  }, 40_000)
})
