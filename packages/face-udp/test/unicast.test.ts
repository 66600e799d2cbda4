import { createSocket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { FaceError, udpUnicastFace, type UdpUnicastFace } from '../src/index.js'
import { sleep, until } from './helpers.js'

describe('udpUnicastFace', () => {
  const faces: UdpUnicastFace[] = []
  const open = async (options: Parameters<typeof udpUnicastFace>[0]): Promise<UdpUnicastFace> => {
    const face = await udpUnicastFace({ localAddress: '127.0.0.1', ...options })
    faces.push(face)
    return face
  }
  afterEach(async () => {
    await Promise.all(faces.splice(0).map((face) => face.close()))
  })

  it('learns its peer from the first frame, then replies to it', async () => {
    const bridge = await open({})
    expect(bridge.peer()).toBeUndefined()
    expect(bridge.name).toBe(`udp:listen:127.0.0.1:${bridge.address().port}`)
    await bridge.send(new Uint8Array(120)) // nobody to send to yet: dropped silently
    expect(bridge.stats.dropped.FACE_NO_PEER).toBe(1)
    expect(bridge.stats.framesOut).toBe(0)

    const client = await open({ host: '127.0.0.1', port: bridge.address().port })
    expect(client.name).toBe(`udp:127.0.0.1:${bridge.address().port}`)
    const atBridge: string[] = []
    const atClient: number[][] = []
    bridge.onFrame((frame, from) => {
      atBridge.push(from)
      void bridge.send(frame.map((x) => x + 1))
    })
    client.onFrame((frame) => atClient.push([...frame]))
    await client.send(Uint8Array.of(1, 2, 3))
    await until(() => atClient.length === 1)
    expect(atClient).toEqual([[2, 3, 4]])
    expect(atBridge).toEqual([`udp:127.0.0.1:${client.address().port}`])
    expect(bridge.peer()).toEqual({ address: '127.0.0.1', port: client.address().port })
    expect(bridge.stats).toMatchObject({ framesIn: 1, framesOut: 1, bytesIn: 3, bytesOut: 3 })
  })

  it('follows the latest sender when learning', async () => {
    const bridge = await open({})
    const first = await open({ host: '127.0.0.1', port: bridge.address().port })
    const second = await open({ host: '127.0.0.1', port: bridge.address().port })
    await first.send(Uint8Array.of(1))
    await until(() => bridge.stats.framesIn === 1)
    await second.send(Uint8Array.of(2))
    await until(() => bridge.stats.framesIn === 2)
    expect(bridge.peer()?.port).toBe(second.address().port)
  })

  it('is addressable when learning: send(frame, to) reaches exactly that peer, unknown peers are FACE_PEER', async () => {
    const bridge = await open({})
    expect(bridge.addressable).toBe(true)
    const port = bridge.address().port
    const [x, y] = [await open({ host: '127.0.0.1', port }), await open({ host: '127.0.0.1', port })]
    expect(x.addressable).toBe(false)
    const from: string[] = []
    bridge.onFrame((_f, f) => from.push(f))
    await x.send(Uint8Array.of(1))
    await until(() => from.length === 1)
    await y.send(Uint8Array.of(2))
    await x.send(Uint8Array.of(3)) // the same sender: the same PeerId
    await until(() => from.length === 3)
    const [fromX, fromY] = [`udp:127.0.0.1:${x.address().port}`, `udp:127.0.0.1:${y.address().port}`]
    expect(from).toEqual([fromX, fromY, fromX])
    expect(bridge.peers()).toEqual([fromX, fromY])
    const atX: number[] = []
    const atY: number[] = []
    x.onFrame((f) => atX.push(f[0] as number))
    y.onFrame((f) => atY.push(f[0] as number))
    await bridge.send(Uint8Array.of(10), fromY) // not the latest sender: only y gets it
    await bridge.send(Uint8Array.of(11)) // no `to`: the latest sender, x
    await until(() => atX.length === 1 && atY.length === 1)
    await sleep(30)
    expect([atX, atY]).toEqual([[11], [10]])
    for (const bad of ['udp:127.0.0.1:9', 'nonsense', '']) {
      await expect(bridge.send(Uint8Array.of(1), bad)).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_PEER' })
    }
    expect(bridge.stats.framesOut).toBe(2)
  })

  it('remembers at most maxPeers, evicting the least recently heard', async () => {
    const bridge = await open({ maxPeers: 2 })
    const port = bridge.address().port
    const clients = [await open({ host: '127.0.0.1', port }), await open({ host: '127.0.0.1', port }), await open({ host: '127.0.0.1', port })]
    const ids = clients.map((c) => `udp:127.0.0.1:${c.address().port}`)
    for (const i of [0, 1, 0, 2]) {
      const n = bridge.stats.framesIn
      await clients[i]!.send(Uint8Array.of(i))
      await until(() => bridge.stats.framesIn === n + 1)
    }
    expect(bridge.peers()).toEqual([ids[2], ids[0]]) // 1 was heard least recently: evicted
    await expect(bridge.send(Uint8Array.of(1), ids[1])).rejects.toMatchObject({ code: 'FACE_PEER' })
    await bridge.send(Uint8Array.of(1), ids[0])
    expect(bridge.stats.framesOut).toBe(1)
    await expect(udpUnicastFace({ localAddress: '127.0.0.1', maxPeers: 0 })).rejects.toThrow(RangeError)
  })

  it('keeps a configured peer whoever sends', async () => {
    const other = await open({})
    const face = await open({ host: '127.0.0.1', port: other.address().port })
    const stranger = await open({ host: '127.0.0.1', port: face.address().port })
    await stranger.send(Uint8Array.of(9))
    await until(() => face.stats.framesIn === 1)
    expect(face.peer()).toEqual({ address: '127.0.0.1', port: other.address().port })
    expect(face.addressable).toBe(false)
    expect(face.peers()).toEqual([])
    const atOther: number[] = []
    other.onFrame((f) => atOther.push(f[0] as number))
    await face.send(Uint8Array.of(5), `udp:127.0.0.1:${stranger.address().port}`) // `to` is ignored: the fixed peer gets it
    await until(() => atOther.length === 1)
    expect(atOther).toEqual([5])
  })

  it('drops received datagrams over its mtu and empty ones, counted', async () => {
    const face = await open({ mtu: 200 })
    const raw = createSocket('udp4')
    try {
      const got: number[] = []
      face.onFrame((frame) => got.push(frame.length))
      for (const size of [201, 0, 200]) {
        await new Promise((resolve) => raw.send(new Uint8Array(size), face.address().port, '127.0.0.1', resolve))
      }
      await until(() => got.length === 1 && (face.stats.dropped.FACE_MTU_IN ?? 0) === 1)
      await until(() => face.stats.dropped.FACE_EMPTY_IN === 1)
      expect(got).toEqual([200])
    } finally {
      raw.close()
    }
  })

  it('refuses over-mtu and empty frames with FaceError, and send after close with FACE_CLOSED', async () => {
    const face = await open({ host: '127.0.0.1', port: 9, mtu: 150 })
    expect(face.mtu).toBe(150)
    await expect(face.send(new Uint8Array(151))).rejects.toBeInstanceOf(FaceError)
    await expect(face.send(new Uint8Array(151))).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_MTU' })
    await expect(face.send(new Uint8Array(0))).rejects.toMatchObject({ code: 'FACE_EMPTY' })
    await face.close()
    await expect(face.send(new Uint8Array(1))).rejects.toMatchObject({ code: 'FACE_CLOSED' })
  })

  it('fails with FACE_BIND when the port is taken', async () => {
    const face = await open({})
    const taken = udpUnicastFace({ localAddress: '127.0.0.1', localPort: face.address().port })
    await expect(taken).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_BIND' })
    await expect(taken).rejects.toHaveProperty('cause.code', 'EADDRINUSE')
  })

  it('checks its options', async () => {
    await expect(udpUnicastFace({ host: '127.0.0.1' })).rejects.toThrow(TypeError)
    await expect(udpUnicastFace({ host: '127.0.0.1', port: 0 })).rejects.toThrow(RangeError)
    await expect(udpUnicastFace({ localPort: 70000 })).rejects.toThrow(RangeError)
  })
})
