// Both UDP faces ask for a receive buffer of RECV_BUFFER_BYTES: answers one entry per datagram come
// in bursts of a want-ahead window, and Linux's default buffer held only about 200 of them.
import { createSocket } from 'node:dgram'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RECV_BUFFER_BYTES, udpMulticastFace, udpUnicastFace } from '../src/index.js'

/** What Linux grants a socket asking for `bytes` without privileges (it doubles the value, up to twice rmem_max). */
function linuxGrant(bytes: number): number | undefined {
  const max = '/proc/sys/net/core/rmem_max'
  return existsSync(max) ? 2 * Math.min(bytes, Number(readFileSync(max, 'utf8'))) : undefined
}

/** The receive buffer of a plain dgram socket: what a socket gets without asking. */
async function defaultBuffer(): Promise<number> {
  const s = createSocket('udp4')
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve))
  const size = s.getRecvBufferSize()
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return size
}

describe('UDP face receive buffers', () => {
  it('a unicast and a loopback multicast face get the larger buffer the system allows', async () => {
    const plain = await defaultBuffer()
    const uni = await udpUnicastFace({ localAddress: '127.0.0.1' })
    const mc = await udpMulticastFace({ group: '239.255.77.77', port: 20_000 + Math.floor(Math.random() * 30_000), iface: '127.0.0.1', ttl: 0 })
    try {
      const want = linuxGrant(RECV_BUFFER_BYTES)
      for (const got of [uni.receiveBufferBytes(), mc.receiveBufferBytes()]) {
        if (want !== undefined) expect(got).toBe(plain >= RECV_BUFFER_BYTES ? plain : want) // Linux: exactly what it grants
        else expect(got).toBeGreaterThanOrEqual(plain) // elsewhere: never less than without asking
      }
      if (want !== undefined && want > plain) expect(uni.receiveBufferBytes()).toBeGreaterThan(plain)
    } finally {
      await Promise.all([uni.close(), mc.close()])
    }
  })
})
