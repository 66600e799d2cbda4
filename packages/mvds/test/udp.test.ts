// Two of our nodes over real loopback UDP (127.0.0.1 only), in every mode pair: each appends
// messages, each receives the other's, and both end with no pending state.
import { createSocket } from 'node:dgram'
import { udpUnicastFace, type UdpUnicastFace } from '@tinyssb/face-udp'
import { afterEach, describe, expect, it } from 'vitest'
import { createMvdsNode, type MvdsNode, type SyncMode } from '../src/index.js'
import { GROUP, str, text } from './helpers.js'

/** Ports free right now on 127.0.0.1 (bound, read, released). */
async function freePorts(n: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createSocket>>((resolve) => {
      const s = createSocket('udp4')
      s.bind(0, '127.0.0.1', () => resolve(s))
    })),
  )
  const ports = sockets.map((s) => s.address().port)
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))))
  return ports
}

const open: { nodes: MvdsNode[]; faces: UdpUnicastFace[] } = { nodes: [], faces: [] }
afterEach(async () => {
  for (const n of open.nodes.splice(0)) await n.close()
  for (const f of open.faces.splice(0)) await f.close()
})

const pairs: [SyncMode, SyncMode][] = [
  ['batch', 'batch'],
  ['batch', 'interactive'],
  ['interactive', 'batch'],
  ['interactive', 'interactive'],
]

describe('two nodes over loopback UDP', () => {
  it.each(pairs)('%s ↔ %s', async (modeA, modeB) => {
    const [pa, pb] = (await freePorts(2)) as [number, number]
    const fa = await udpUnicastFace({ localAddress: '127.0.0.1', localPort: pa, host: '127.0.0.1', port: pb })
    const fb = await udpUnicastFace({ localAddress: '127.0.0.1', localPort: pb, host: '127.0.0.1', port: pa })
    open.faces.push(fa, fb)
    const a = createMvdsNode({ faces: [fa], mode: modeA, epochMs: 20, backoff: 'linear' })
    const b = createMvdsNode({ faces: [fb], mode: modeB, epochMs: 20, backoff: 'linear' })
    open.nodes.push(a, b)
    a.addPeer(GROUP, { face: fa, id: `udp:127.0.0.1:${pb}` })
    b.addPeer(GROUP, { face: fb, id: `udp:127.0.0.1:${pa}` })
    const gotA: string[] = []
    const gotB: string[] = []
    a.subscribe((d) => gotA.push(str(d.message.body)))
    b.subscribe((d) => gotB.push(str(d.message.body)))
    for (let i = 0; i < 3; i++) {
      a.append(GROUP, text(`a${i}`))
      b.append(GROUP, text(`b${i}`))
    }
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline && (gotA.length < 3 || gotB.length < 3 || a.pending().length + b.pending().length > 0)) {
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(gotA.sort()).toEqual(['b0', 'b1', 'b2'])
    expect(gotB.sort()).toEqual(['a0', 'a1', 'a2'])
    expect(a.pending()).toEqual([])
    expect(b.pending()).toEqual([])
    const offers = modeA === 'interactive' ? 3 : 0
    expect(a.stats.sent.offers).toBeGreaterThanOrEqual(offers)
    expect(b.stats.sent.requests).toBeGreaterThanOrEqual(offers)
    expect(a.stats.dropped).toEqual({})
  }, 15_000)
})
