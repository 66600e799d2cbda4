// `tinyssb mvds` end to end: two CLI processes on loopback UDP exchange messages (batch with
// interactive), a lonely node times out saying what is missing, and --data keeps an unsent message
// across a restart.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { messageId } from '@tinyssb/mvds'
import { freeUdpPort, killAll, oneErrorLine, requireBuilt, spawnCli, tempDir } from './helpers.js'

const GROUP = 'c0'.repeat(32)
const group = new Uint8Array(Buffer.from(GROUP, 'hex'))
const jsonLines = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; body: string; timestamp: number })

beforeAll(() => requireBuilt())
afterEach(() => killAll())

describe('tinyssb mvds', () => {
  it('two processes: batch ↔ interactive, --json lines, both exit 0', async () => {
    const [pa, pb] = [await freeUdpPort(), await freeUdpPort()]
    const a = spawnCli(['mvds', '--udp-listen', `${pa}`, '--udp', `127.0.0.1/${pb}`, '--group', GROUP, '--send', 'hello', '--send', 'world', '--until', '1', '--epoch', '50', '--timeout', '20', '--json'])
    const b = spawnCli(['mvds', '--udp-listen', `${pb}`, '--udp', `127.0.0.1/${pa}`, '--group', GROUP, '--mode', 'interactive', '--send', 'hi', '--until', '2', '--epoch', '50', '--timeout', '20', '--json'])
    const [ra, rb] = await Promise.all([a.done, b.done])
    expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 0])
    const gotA = jsonLines(ra.stdout)
    const gotB = jsonLines(rb.stdout)
    expect(gotA.map((m) => m.body)).toEqual(['hi'])
    expect(gotB.map((m) => m.body).sort()).toEqual(['hello', 'world'])
    for (const m of [...gotA, ...gotB]) {
      const id = messageId({ groupId: group, timestamp: BigInt(m.timestamp), body: new TextEncoder().encode(m.body) })
      expect(m.id).toBe(Buffer.from(id).toString('hex'))
      expect(Math.abs(m.timestamp - Date.now() / 1000)).toBeLessThan(60)
    }
  }, 30_000)

  it('alone: exit 1 at --timeout with one line saying what is missing', async () => {
    const [pa, pb] = [await freeUdpPort(), await freeUdpPort()]
    const r = await spawnCli(['mvds', '--udp-listen', `${pa}`, '--udp', `127.0.0.1/${pb}`, '--group', GROUP, '--send', 'x', '--until', '1', '--timeout', '1']).done
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.stderr)).toBe('tinyssb: --timeout 1s: received 0 of 1 messages; 1 of 1 sent messages not acknowledged by the peer')
  }, 15_000)

  it('bad flags: exit 2', async () => {
    const r = await spawnCli(['mvds', '--udp-listen', '1', '--udp', '127.0.0.1/2', '--group', 'zz']).done
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.stderr)).toMatch(/--group expects up to 64 hex digits/)
  }, 15_000)

  it('--data: a message appended while the peer was away is sent after a restart', async () => {
    const dir = tempDir('tinyssb-mvds-')
    try {
      const [pa, pb] = [await freeUdpPort(), await freeUdpPort()]
      const first = await spawnCli(['mvds', '--udp-listen', `${pa}`, '--udp', `127.0.0.1/${pb}`, '--group', GROUP, '--data', dir.path, '--send', 'kept', '--timeout', '0.5']).done
      expect(first.code).toBe(1) // not acknowledged: the peer was not there
      const a = spawnCli(['mvds', '--udp-listen', `${pa}`, '--udp', `127.0.0.1/${pb}`, '--group', GROUP, '--data', dir.path, '--epoch', '50', '--timeout', '4'])
      const b = spawnCli(['mvds', '--udp-listen', `${pb}`, '--udp', `127.0.0.1/${pa}`, '--group', GROUP, '--until', '1', '--epoch', '50', '--timeout', '10', '--json'])
      const rb = await b.done
      expect(rb.code, rb.stderr).toBe(0)
      expect(jsonLines(rb.stdout).map((m) => m.body)).toEqual(['kept'])
      expect((await a.done).code).toBe(0) // no goal: it ran until --timeout
    } finally {
      dir.cleanup()
    }
  }, 30_000)
})
