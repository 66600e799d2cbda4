import { createSocket, type Socket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { udpMulticastFace, type UdpMulticastFace } from '../src/index.js'
import { loopbackMulticast, sleep, until } from './helpers.js'

describe('udpMulticastFace over loopback', () => {
  const faces: UdpMulticastFace[] = []
  const sockets: Socket[] = []
  afterEach(async () => {
    await Promise.all(faces.splice(0).map((face) => face.close()))
    await Promise.all(sockets.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  })

  it('drops its own frames but hears every other face on the same host and port', async () => {
    const options = await loopbackMulticast()
    for (let i = 0; i < 3; i++) faces.push(await udpMulticastFace(options))
    const [a, b, c] = faces as [UdpMulticastFace, UdpMulticastFace, UdpMulticastFace]
    expect(a.name).toBe(`udp-mc:${options.group}:${options.port}`)
    expect(a.address().port).toBe(b.address().port)
    expect(new Set(faces.map((f) => f.sender().port)).size).toBe(3)
    const got = faces.map(() => [] as string[])
    faces.forEach((face, i) => face.onFrame((frame, from) => got[i]!.push(`${frame[0]}@${from}`)))

    await a.send(Uint8Array.of(1))
    await c.send(Uint8Array.of(3))
    await until(() => (got[1]?.length ?? 0) === 2 && got[0]?.length === 1 && got[2]?.length === 1)
    await until(() => a.stats.dropped.FACE_OWN === 1 && c.stats.dropped.FACE_OWN === 1)
    await sleep(30)
    const fromA = `udp:127.0.0.1:${a.sender().port}`
    const fromC = `udp:127.0.0.1:${c.sender().port}`
    expect(got[0]).toEqual([`3@${fromC}`])
    expect(got[1]!.slice().sort()).toEqual([`1@${fromA}`, `3@${fromC}`].sort())
    expect(got[2]).toEqual([`1@${fromA}`])
    expect(b.stats.dropped.FACE_OWN).toBeUndefined()
    expect(a.stats).toMatchObject({ framesOut: 1, bytesOut: 1, framesIn: 1, bytesIn: 1 })
  })

  it('hears a node that sends from the shared port itself (as the Python reference does)', async () => {
    const options = await loopbackMulticast()
    const face = await udpMulticastFace(options)
    faces.push(face)
    const raw = createSocket({ type: 'udp4', reuseAddr: true })
    sockets.push(raw)
    await new Promise<void>((resolve) =>
      raw.bind(options.port, '127.0.0.1', () => {
        raw.setMulticastInterface('127.0.0.1')
        raw.setMulticastTTL(0)
        raw.setMulticastLoopback(true)
        resolve()
      }),
    )
    const got: string[] = []
    face.onFrame((_frame, from) => got.push(from))
    raw.send(Uint8Array.of(7, 7), options.port, options.group)
    await until(() => got.length === 1)
    expect(got).toEqual([`udp:127.0.0.1:${options.port}`])
  })

  it('passes loopback: false through; the loopback device itself still echoes, and own frames stay dropped', async () => {
    // IP_MULTICAST_LOOP only suppresses the host's local copy; a frame sent *on* lo is received
    // by the host anyway, so other faces hear it and the sender recognises its own frame.
    const options = await loopbackMulticast()
    const quiet = await udpMulticastFace({ ...options, loopback: false })
    const other = await udpMulticastFace(options)
    faces.push(quiet, other)
    let heardByQuiet = 0
    quiet.onFrame(() => heardByQuiet++)
    await quiet.send(Uint8Array.of(1))
    await sleep(50)
    expect(quiet.stats.framesOut).toBe(1)
    expect(heardByQuiet).toBe(0)
  })

  it('fails with FACE_BIND when the group cannot be joined on the interface', async () => {
    // 203.0.113.0/24 is TEST-NET-3: no interface of this host has it, so the join fails locally.
    const options = await loopbackMulticast()
    const face = udpMulticastFace({ ...options, iface: '203.0.113.77' })
    await expect(face).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_BIND' })
  })

  it('checks its options', async () => {
    await expect(udpMulticastFace({ group: '10.0.0.1' })).rejects.toThrow(RangeError)
    await expect(udpMulticastFace({ group: 'nonsense' })).rejects.toThrow(RangeError)
    await expect(udpMulticastFace({ iface: 'lo' })).rejects.toThrow(TypeError)
    await expect(udpMulticastFace({ ttl: 256, iface: '127.0.0.1' })).rejects.toThrow(RangeError)
  })
})
