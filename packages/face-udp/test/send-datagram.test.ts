import { describe, expect, it } from 'vitest'
import { createStats } from '../src/face-stats.js'
import { sendDatagram } from '../src/udp-socket.js'

// Network errors cannot be provoked safely on a test machine, so the shared send path is driven
// with a stand-in socket.
describe('sendDatagram', () => {
  const to = { address: '127.0.0.1', port: 1 }

  it('counts a refused datagram as dropped.FACE_SEND and resolves', async () => {
    const stats = createStats()
    const refusing = {
      send: (_m: unknown, _p: unknown, _a: unknown, cb: (e: Error | null) => void) =>
        cb(Object.assign(new Error('send ENETUNREACH'), { code: 'ENETUNREACH' })),
    }
    await expect(sendDatagram(refusing as never, Uint8Array.of(1), to, stats)).resolves.toBeUndefined()
    expect(stats).toEqual({ framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, dropped: { FACE_SEND: 1 } })
  })

  it('counts a socket that throws (closed meanwhile) the same way', async () => {
    const stats = createStats()
    const throwing = {
      send: () => {
        throw new Error('Not running')
      },
    }
    await expect(sendDatagram(throwing as never, Uint8Array.of(1), to, stats)).resolves.toBeUndefined()
    expect(stats.dropped.FACE_SEND).toBe(1)
  })

  it('counts a sent datagram', async () => {
    const stats = createStats()
    const ok = { send: (_m: unknown, _p: unknown, _a: unknown, cb: (e: Error | null) => void) => cb(null) }
    await sendDatagram(ok as never, new Uint8Array(120), to, stats)
    expect(stats).toMatchObject({ framesOut: 1, bytesOut: 120 })
  })
})
