// The faces' sockets skip dns.lookup for IP addresses once bound (one lookup call and one tick less
// per datagram sent); names still resolve through dns.lookup.
import { afterEach, describe, expect, it } from 'vitest'
import { udpUnicastFace, type UdpUnicastFace } from '../src/index.js'
import { ipLookup, udpSocket, closeSocket, bindSocket } from '../src/udp-socket.js'
import { until } from './helpers.js'

type Answer = { err: unknown; address: string; family: number }

/** Runs a lookup; `sync` says whether it answered before returning. */
function look(lookup: ReturnType<typeof ipLookup>, hostname: string): { sync: boolean; answer: Promise<Answer> } {
  let got: Answer | undefined
  let resolve: (a: Answer) => void = () => undefined
  const answer = new Promise<Answer>((r) => (resolve = r))
  lookup(hostname, { family: 4 }, (err, address, family) => {
    got = { err, address, family }
    resolve(got)
  })
  return { sync: got !== undefined, answer }
}

describe('ipLookup', () => {
  it('answers an IP address at once while direct, as dns.lookup would', async () => {
    for (const [host, family] of [['127.0.0.1', 4], ['10.1.2.3', 4], ['::1', 6]] as const) {
      const fast = look(ipLookup(() => true), host)
      const slow = look(ipLookup(() => false), host)
      expect([fast.sync, slow.sync]).toEqual([true, false])
      expect(await fast.answer).toEqual({ err: null, address: host, family })
      expect(await slow.answer).toEqual(await fast.answer)
    }
  })

  it('hands names to dns.lookup even while direct', async () => {
    const named = look(ipLookup(() => true), 'localhost')
    expect(named.sync).toBe(false)
    const a = await named.answer
    expect(a.err).toBeNull()
    expect(a.address).toMatch(/^127\.|^::1$/)
  })
})

describe('udpSocket', () => {
  it('sends to an IP address and to a name once bound', async () => {
    const { socket, bound } = udpSocket({ type: 'udp4' })
    await bindSocket(socket, 0, '127.0.0.1', () => undefined, 'test')
    bound()
    const got: string[] = []
    socket.on('message', (m) => got.push(m.toString()))
    const port = socket.address().port
    socket.send('to ip', port, '127.0.0.1')
    socket.send('to name', port, 'localhost')
    await until(() => got.length === 2)
    expect(got.sort()).toEqual(['to ip', 'to name'])
    await closeSocket(socket)
  })
})

describe('udpUnicastFace with the direct lookup', () => {
  const faces: UdpUnicastFace[] = []
  afterEach(async () => {
    await Promise.all(faces.splice(0).map((face) => face.close()))
  })

  it('delivers many frames in order and counts each as sent', async () => {
    const a = await udpUnicastFace({ localAddress: '127.0.0.1' })
    faces.push(a)
    const b = await udpUnicastFace({ localAddress: '127.0.0.1', host: '127.0.0.1', port: a.address().port })
    faces.push(b)
    const got: number[] = []
    a.onFrame((frame) => got.push(frame[0]!))
    await Promise.all(Array.from({ length: 50 }, (_, i) => b.send(Uint8Array.of(i))))
    await until(() => got.length === 50)
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(b.stats).toMatchObject({ framesOut: 50, bytesOut: 50 })
  })
})
