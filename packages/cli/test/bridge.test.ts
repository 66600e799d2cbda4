// `tinyssb bridge`: bridgeFaces on in-memory media, and end to end over a socat pseudo-terminal pair
// (a producer on UDP, the bridge, a consumer on KISS, pacing on).
import { join } from 'node:path'
import type { Face } from '@tinyssb/packet'
import { memoryHub, type MemoryHub } from '@tinyssb/testkit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bridgeFaces } from '../src/commands/bridge.js'
import { cli, config, freeUdpPort, killAll, oneErrorLine, ptyPair, requireBuilt, requireSocat, run, spawnCli, tempDir, until } from './helpers.js'

const frame = (n: number, fill: number) => new Uint8Array(n).fill(fill)

describe('bridgeFaces', () => {
  const hubs: MemoryHub[] = []
  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((h) => h.close()))
  })
  const hub = (opts = {}) => {
    const h = memoryHub(opts)
    hubs.push(h)
    return h
  }
  /** Frames each face receives. */
  const record = (...faces: Face[]) => faces.map((f) => {
    const got: number[][] = []
    f.onFrame((fr) => got.push([...fr]))
    return got
  })

  it('floods a frame from one medium to the others, never back', async () => {
    const [lora, wifi, usb] = [hub(), hub(), hub()]
    const b = [lora.face('b-lora'), wifi.face('b-wifi'), usb.face('b-usb')]
    const [x, y, z] = [lora.face('x'), wifi.face('y'), usb.face('z')]
    const [gotX, gotY, gotZ] = record(x, y, z)
    const br = bridgeFaces(b)
    await x.send(frame(120, 1))
    await until(() => gotY!.length === 1 && gotZ!.length === 1, 2000, 'the flood')
    await new Promise((r) => setTimeout(r, 30))
    expect(gotX).toEqual([]) // not echoed onto the medium it came from
    expect(gotY).toEqual([[...frame(120, 1)]])
    expect(gotZ).toEqual(gotY)
    expect(br.stats).toEqual({ received: { 'b-lora': 1 }, forwarded: 2, failed: 0 })
    await z.send(frame(43, 2))
    await until(() => gotX!.length === 1 && gotY!.length === 2, 2000, 'the answer')
    expect(br.stats.received).toEqual({ 'b-lora': 1, 'b-usb': 1 })
    br.stop()
  })

  it('skips a face whose mtu is too small, counts failed sends, and stop() ends it', async () => {
    const [big, small] = [hub(), hub({ mtu: 100 })]
    const b1 = big.face('b1')
    const b2 = small.face('b2')
    const failing: Face = {
      name: 'failing',
      mtu: 1400,
      send: () => Promise.reject(new Error('unplugged')),
      onFrame: () => () => {},
      close: async () => {},
    }
    const [gotSmall] = record(small.face('s'))
    const seen: string[] = []
    const br = bridgeFaces([b1, b2, failing], (fr, from) => seen.push(`${from.name}:${fr.length}`))
    const x = big.face('x')
    await x.send(frame(120, 7)) // too big for the small medium
    await x.send(frame(50, 8))
    await until(() => gotSmall!.length === 1 && br.stats.failed === 2, 2000, 'the small frame')
    expect(gotSmall).toEqual([[...frame(50, 8)]])
    expect(seen).toEqual(['b1:120', 'b1:50'])
    expect(br.stats).toMatchObject({ forwarded: 3, failed: 2 })
    br.stop()
    await x.send(frame(10, 9))
    await new Promise((r) => setTimeout(r, 50))
    expect(gotSmall).toHaveLength(1)
    expect(br.stats.received).toEqual({ b1: 2 })
  })
})

describe('tinyssb bridge (processes)', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeAll(() => {
    requireBuilt()
    requireSocat() // fails (never skips) without socat
    tmp = tempDir()
  })
  afterEach(killAll)
  afterAll(async () => {
    await killAll()
    tmp?.cleanup() // undefined when beforeAll failed (no socat): that failure is the one to report
  })

  it('with one face: warns on stderr, runs until --timeout, exit 0', async () => {
    const r = await run('bridge', '--udp-listen', String(await freeUdpPort()), '--timeout', '0.1')
    expect(r.code).toBe(0)
    expect(r.err).toEqual(['tinyssb: warning: a bridge with fewer than two faces forwards nothing'])
    expect(r.out.join('\n')).toMatch(/timeout: stopping after 0 forwarded frames/)
  })

  it('a KISS device that is not there: exit 1, one line', async () => {
    const r = await cli(['bridge', '--kiss', join(tmp.path, 'no-such-tty'), '--udp-listen', String(await freeUdpPort()), '--timeout', '1'], 15_000)
    expect(r.code).toBe(1)
    oneErrorLine(r.stderr)
  }, 20_000)

  it('end to end over a socat pty pair: producer on UDP, bridge, consumer on KISS, pacing on', async () => {
    const data = join(tmp.path, 'data')
    expect((await run('init', '--data', data)).code).toBe(0)
    const fidA = config(data).feedID
    const pty = await ptyPair(tmp.path)
    const p1 = await freeUdpPort()
    const prod = spawnCli(['prodcons', '--data', data, '--udp-listen', String(p1), '--interval', '0.2', '--count', '5'], 90_000)
    await until(() => /enqueued for first time/.test(prod.stdout()), 15_000, 'the producer')
    // the bridge's KISS side is paced (0.5 s + jitter by default, like the original)
    const br = spawnCli(['bridge', '--udp', `127.0.0.1/${p1}`, '--kiss', pty.a, '--verbose'], 90_000)
    await until(() => /bridging/.test(br.stdout()), 15_000, 'the bridge')
    expect(br.stdout()).toMatch(/face kiss/i)
    const cons = await cli(['prodcons', '--data', data, '--cons', 'nodeB', '--kiss', pty.b, '--until', '6', '--timeout', '60', '--want-interval', '2'], 90_000)
    expect(cons.stderr).toBe('')
    expect(cons.code, cons.stdout).toBe(0)
    await until(() => /--count 5 reached/.test(prod.stdout()), 10_000, 'the producer to finish')
    br.child.kill('SIGTERM')
    prod.child.kill('SIGTERM')
    const [b, p] = await Promise.all([br.done, prod.done])
    expect(b.code, b.stderr).toBe(0)
    expect(b.stderr).toBe('')
    expect(b.stdout).toMatch(/SIGTERM: stopping after [1-9]\d* forwarded frames/)
    expect(b.stdout).toMatch(/: 120 bytes$/m) // entries crossed it
    expect(p.code, p.stderr).toBe(0)
    await pty.stop()
    const dump = async (node: string) => (await run('log', 'dump', '--data', data, '--node', node, '--feed', fidA, '--json')).out
    const a = await dump('nodeA')
    expect(a).toHaveLength(6)
    expect(await dump('nodeB')).toEqual(a)
  }, 90_000)
})
