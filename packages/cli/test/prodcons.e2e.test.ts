// `tinyssb prodcons` end to end: real processes of the built CLI, on this machine only (multicast on
// a random 239.255.x.y group bound to 127.0.0.1 with TTL 1, or unicast on 127.0.0.1).
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { toHex } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { cli, freeUdpPort, initDataPerTest, loadVectors, logFile, loopbackMc, oneErrorLine, run, spawnCli, until, type Spawned } from './helpers.js'

const e2e = initDataPerTest()

/** The anchor_log vector (a header-only trust anchor) with `fid` in place of the vector's. */
function expectedAnchor(fid: string): string {
  const v = loadVectors('logfile.json').anchor_log
  return (v.file_bytes as string).replaceAll(v.fid, fid).replaceAll((v.fid as string).slice(0, 40), fid.slice(0, 40))
}

/** `log dump --json` of nodeA's feed in `node` (in process). */
async function dump(node: string): Promise<string[]> {
  const r = await run('log', 'dump', '--data', e2e.data, '--node', node, '--feed', e2e.fidA, '--json')
  expect(r.code, r.err.join('\n')).toBe(0)
  return r.out
}

async function stop(p: Spawned): Promise<{ code: number | null; stdout: string; stderr: string }> {
  p.child.kill('SIGTERM')
  return p.done
}

const started = (p: Spawned) => until(() => /enqueued for first time|bridging/.test(p.stdout()) || p.child.exitCode !== null, 15_000, 'the producer')

describe('tinyssb prodcons', () => {
  it('multicast: the producer makes trust anchors, the consumer replicates nodeA\'s log exactly', async () => {
    const mc = await loopbackMc()
    const prod = spawnCli(['prodcons', '--data', e2e.data, ...mc, '--interval', '0.1', '--count', '10'], 40_000)
    await started(prod)
    // on first start: genesis in nodeA, header-only anchors (anchor seq 0, mid fid[0:20]) in B and C
    for (const n of ['nodeB', 'nodeC']) expect(toHex(readFileSync(logFile(e2e.data, n, e2e.fidA)))).toBe(expectedAnchor(e2e.fidA))
    expect(prod.stdout()).toMatch(/created genesis entry/)
    expect(prod.stdout()).toMatch(/trust anchor for nodeA's feed added to nodeB/)

    const cons = await cli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--until', '11', '--timeout', '30', '--want-interval', '1'], 40_000)
    expect(cons.stderr).toBe('')
    expect(cons.code, cons.stdout).toBe(0)
    expect(cons.stdout).toMatch(/^Consumer nodeB:$/m)
    expect(cons.stdout).toMatch(/replica reached \[11\]/)

    await until(() => /--count 10 reached/.test(prod.stdout()), 10_000, 'the producer to finish')
    const p = await stop(prod)
    expect(p.code, p.stderr).toBe(0)
    expect(p.stdout).toMatch(/SIGTERM: stopping/)
    expect(p.stderr).toBe('')

    const a = await dump('nodeA')
    expect(a).toHaveLength(11)
    expect(await dump('nodeB')).toEqual(a)
    expect(JSON.parse(a[0]!)).toMatchObject({ seq: 1, payload: toHex(new TextEncoder().encode('entry 0')).padEnd(96, '0') })
    // the producer's entries are ISO timestamps
    expect(new TextDecoder().decode(Buffer.from(JSON.parse(a[1]!).payload, 'hex')).replace(/\0+$/, '')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect((await run('log', 'verify', '--data', e2e.data, '--node', 'nodeB')).code).toBe(0)
    expect(statSync(logFile(e2e.data, 'nodeC', e2e.fidA)).size).toBe(128) // nodeC never ran

    // transitive: with nodeA offline, nodeC replicates from nodeB
    const relay = spawnCli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--want-interval', '1'], 40_000)
    await until(() => /replica of/.test(relay.stdout()), 15_000, 'nodeB to start')
    const c = await cli(['prodcons', '--data', e2e.data, '--cons', 'nodeC', ...mc, '--until', '11', '--timeout', '30', '--want-interval', '1'], 40_000)
    expect(c.code, c.stdout + c.stderr).toBe(0)
    expect((await stop(relay)).code).toBe(0)
    expect(await dump('nodeC')).toEqual(a)
  }, 60_000)

  it('unicast: producer --udp-listen PORT, consumer --udp 127.0.0.1/PORT', async () => {
    const port = await freeUdpPort()
    const prod = spawnCli(['prodcons', '--data', e2e.data, '--udp-listen', String(port), '--interval', '0.1', '--count', '10'], 40_000)
    await started(prod)
    const cons = await cli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', '--udp', `127.0.0.1/${port}`, '--until', '11', '--timeout', '30', '--want-interval', '1'], 40_000)
    expect(cons.code, cons.stdout + cons.stderr).toBe(0)
    await until(() => /--count 10 reached/.test(prod.stdout()), 10_000, 'the producer to finish')
    expect((await stop(prod)).code).toBe(0)
    expect(await dump('nodeB')).toEqual(await dump('nodeA'))
  }, 60_000)

  // bug fix: the producer added trust anchors only when it created the genesis entry itself, so
  // after `tinyssb repo` (nodeA's log already there) no consumer could ever replicate nodeA
  it('after `tinyssb repo` the producer still adds the trust anchors, and a consumer gets repo\'s entries too', async () => {
    expect((await run('repo', '--data', e2e.data)).code).toBe(0)
    const mc = await loopbackMc()
    const prod = spawnCli(['prodcons', '--data', e2e.data, ...mc, '--interval', '0.1', '--count', '2'], 40_000)
    await started(prod)
    expect(prod.stdout()).not.toMatch(/created genesis entry/)
    for (const n of ['nodeB', 'nodeC']) expect(toHex(readFileSync(logFile(e2e.data, n, e2e.fidA)))).toBe(expectedAnchor(e2e.fidA))
    const cons = await cli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--until', '9', '--timeout', '30', '--want-interval', '1'], 40_000)
    expect(cons.code, cons.stdout + cons.stderr).toBe(0)
    await until(() => /--count 2 reached/.test(prod.stdout()), 10_000, 'the producer to finish')
    expect((await stop(prod)).code).toBe(0)
    const a = await dump('nodeA')
    expect(a).toHaveLength(9)
    expect(await dump('nodeB')).toEqual(a) // the chain entry resolves in nodeB too: its blobs came along
    // a second start leaves the existing replica alone
    const again = await cli(['prodcons', '--data', e2e.data, ...mc, '--count', '0', '--timeout', '0.2'], 20_000)
    expect(again.code).toBe(0)
    expect(again.stdout).not.toMatch(/trust anchor/)
    expect(statSync(logFile(e2e.data, 'nodeB', e2e.fidA)).size).toBe(128 * 10)
  }, 60_000)

  // bug fix: with --duty-cycle, frames over 255 bytes (a WANT for a whole window on a UDP face) made
  // the LoRa airtime estimate throw, the paced face dropped them, and the consumer never replicated
  it('a consumer with --duty-cycle 1 on UDP replicates', async () => {
    const mc = await loopbackMc()
    const prod = spawnCli(['prodcons', '--data', e2e.data, ...mc, '--interval', '0.1', '--count', '5'], 40_000)
    await started(prod)
    const cons = await cli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--duty-cycle', '1', '--until', '6', '--timeout', '20', '--want-interval', '1'], 40_000)
    expect(cons.code, cons.stdout + cons.stderr).toBe(0)
    await stop(prod)
  }, 40_000)

  it('--until with an unreachable seq and --timeout 2: exit 1 with one CLI_TIMEOUT line', async () => {
    const mc = await loopbackMc()
    // a producer run that only makes the genesis entry and the trust anchors (--count 0)
    const p = await cli(['prodcons', '--data', e2e.data, ...mc, '--count', '0', '--timeout', '0.2'], 20_000)
    expect(p.code, p.stderr).toBe(0)
    expect(existsSync(logFile(e2e.data, 'nodeB', e2e.fidA))).toBe(true)
    const r = await cli(['prodcons', '--data', e2e.data, '--cons', 'nodeB', ...mc, '--until', '50', '--timeout', '2'], 20_000)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.stderr)).toBe('tinyssb: --timeout 2s: replica at [0], --until 50 not reached')
  }, 30_000)

  it('a producer whose --count is not reached by --timeout: exit 1', async () => {
    const r = await cli(['prodcons', '--data', e2e.data, ...(await loopbackMc()), '--interval', '5', '--count', '3', '--timeout', '0.3'], 20_000)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.stderr)).toBe('tinyssb: --timeout 0.3s: --count 3 not reached (log at [1])')
  }, 30_000)

  it('a consumer without a trust anchor (the original\'s single-dash flags): "start the producer before"', async () => {
    const [, group, , iface, , ttl] = await loopbackMc()
    const r = await cli(['prodcons', '-data', e2e.data, '-cons', 'nodeB', '-mc', group!, '-iface', iface!, '-ttl', ttl!, '-until', '1', '-timeout', '2'], 20_000)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.stderr)).toBe("tinyssb: nodeB has no log for nodeA's feed: start the producer before (this) consumer")
    expect(r.stdout).toMatch(/^Producer\/consumer demo/) // flags were understood: it got as far as the check
    expect(existsSync(logFile(e2e.data, 'nodeB', e2e.fidA))).toBe(false)
  }, 30_000)
})
