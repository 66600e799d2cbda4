// Fairness over real UDP sockets on 127.0.0.1: 20 sockets of one host flood a producer with WANTs
// while a consumer node catches up. Every socket here is on the same host, so the producer's face
// is wrapped to report the consumer's port as a host of its own (what a second machine would be);
// the attacker's ports are grouped by the face itself (udpUnicastFace.peerGroup).
import type { Face } from '@tinyssb/core'
import { udpUnicastFace, type UdpUnicastFace } from '@tinyssb/face-udp'
import { encodeWant, wantDmx } from '@tinyssb/packet'
import { afterEach, describe, expect, it } from 'vitest'
import { createNode, type TinyNode } from '../src/index.js'
import { produce, signerFor, stores } from './helpers.js'

const N = 300
const PORTS = 20
/** The producer's serve budget: 1000 frames/s, shared by two hosts (500/s each) while both ask. */
const RATE = 1000

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

describe('fair serving over UDP (loopback)', () => {
  const closing: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of closing.splice(0).reverse()) await c()
  })

  it('20 ports of one host flooding WANTs get one host\'s share while a consumer on another host catches up', async () => {
    const a = stores()
    const b = stores()
    const signer = signerFor(80)
    const fid = signer.publicKey
    await produce(a.logs, signer, N)
    await b.logs.create(fid)
    const raw = await udpUnicastFace({ localAddress: '127.0.0.1', maxPeers: 64 })
    closing.push(() => raw.close())
    const port = raw.address().port
    const faceB = await udpUnicastFace({ localAddress: '127.0.0.1', host: '127.0.0.1', port })
    closing.push(() => faceB.close())
    const consumer = `udp:127.0.0.1:${faceB.address().port}`
    const faceA: Face = {
      name: raw.name,
      mtu: raw.mtu,
      addressable: true,
      send: (frame, to) => raw.send(frame, to),
      onFrame: (h) => raw.onFrame(h),
      close: () => raw.close(),
      peerGroup: (peer) => (peer === consumer ? 'another host' : raw.peerGroup(peer)),
    }
    const nodeA: TinyNode = createNode({ ...a, faces: [faceA], ownFeeds: [fid], serveRate: RATE, serveBurst: 64 })
    const nodeB: TinyNode = createNode({ ...b, faces: [faceB] })
    closing.push(() => nodeA.stop(), () => nodeB.stop())
    const ports: UdpUnicastFace[] = []
    for (let i = 0; i < PORTS; i++) {
      const p = await udpUnicastFace({ localAddress: '127.0.0.1', host: '127.0.0.1', port })
      closing.push(() => p.close())
      ports.push(p)
    }
    const served = { attacker: 0 }
    for (const p of ports) p.onFrame((f) => void (f.length === 120 && served.attacker++))
    await nodeA.start()
    // each port: a 6-record WANT every 10 ms (12 000 records/s in all, 12 × the serve rate)
    let seq = 0
    const flood = setInterval(() => {
      for (const p of ports) void p.send(encodeWant(wantDmx(fid), Array.from({ length: 6 }, () => ({ fid, seq: 1 + (seq++ % N) }))))
    }, 10)
    closing.push(async () => clearInterval(flood))
    await sleep(100) // the flood is on before the consumer asks
    const before = served.attacker
    const t0 = Date.now()
    await nodeB.start()
    for (let t = 0; t < 30_000 && nodeB.front(fid) !== N; t += 10) await sleep(10)
    const attacker = served.attacker - before
    const seconds = (Date.now() - t0) / 1000
    expect(nodeB.front(fid)).toBe(N)
    expect(attacker).toBeGreaterThan(50) // the flood was served its share
    // the attacker's 20 ports got one host's share, half the budget (its token bucket cannot give
    // more whatever the machine's speed); without the grouping they would get 20 of 21 shares
    expect(attacker).toBeLessThanOrEqual(1.3 * (RATE / 2) * seconds + 64)
    expect(nodeA.stats.dropped.RATE_LIMITED).toBeGreaterThan(0)
  }, 40_000)
})
