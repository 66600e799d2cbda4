// Peer groups (Face.peerGroup): on UDP a peer's group is its host, whatever its port, so one host
// sending from many ports is one group for an engine's fairness, and a learning face that must
// forget peers forgets that host's ports first.
import { afterEach, describe, expect, it } from 'vitest'
import { udpMulticastFace, udpUnicastFace, type UdpUnicastFace } from '../src/index.js'
import { PeerSet } from '../src/peer-set.js'
import { peerGroupOf } from '../src/udp-socket.js'
import { loopbackMulticast, until } from './helpers.js'

describe('peer groups', () => {
  it('a UDP peer\'s group is its host address (IPv4 and IPv6)', () => {
    expect(peerGroupOf('udp:127.0.0.1:5001')).toBe('udp:127.0.0.1')
    expect(peerGroupOf('udp:127.0.0.1:40000')).toBe('udp:127.0.0.1')
    expect(peerGroupOf('udp:::1:5001')).toBe('udp:::1')
    expect(peerGroupOf('udp:fe80::1%lo:5001')).toBe('udp:fe80::1%lo')
    expect(peerGroupOf('kiss:/dev/ttyUSB0')).toBe('kiss:/dev/ttyUSB0') // not a UDP peer id: itself
  })

  it('a full peer set forgets a port of the host with the most ports, not another host\'s peer', () => {
    const set = new PeerSet(4, peerGroupOf)
    set.heard('udp:10.0.0.9:1', { address: '10.0.0.9', port: 1 }) // the consumer, heard first
    for (let p = 1; p <= 10; p++) set.heard(`udp:10.0.0.66:${p}`, { address: '10.0.0.66', port: p })
    expect(set.ids()).toEqual(['udp:10.0.0.66:10', 'udp:10.0.0.66:9', 'udp:10.0.0.66:8', 'udp:10.0.0.9:1'])
    // without groups: the least recently heard goes, whoever it is
    const plain = new PeerSet(4)
    plain.heard('udp:10.0.0.9:1', { address: '10.0.0.9', port: 1 })
    for (let p = 1; p <= 10; p++) plain.heard(`udp:10.0.0.66:${p}`, { address: '10.0.0.66', port: p })
    expect(plain.ids()).not.toContain('udp:10.0.0.9:1')
  })

  describe('on the faces', () => {
    const faces: Array<{ close(): Promise<void> }> = []
    afterEach(async () => void (await Promise.all(faces.splice(0).map((f) => f.close()))))

    it('both faces offer peerGroup; a learning face groups the ports of one host', async () => {
      const bridge: UdpUnicastFace = await udpUnicastFace({ localAddress: '127.0.0.1' })
      faces.push(bridge)
      const port = bridge.address().port
      const from: string[] = []
      bridge.onFrame((_f, peer) => from.push(peer))
      for (let i = 0; i < 3; i++) {
        const c = await udpUnicastFace({ localAddress: '127.0.0.1', host: '127.0.0.1', port })
        faces.push(c)
        await c.send(Uint8Array.of(i))
      }
      await until(() => from.length === 3)
      expect(new Set(from).size).toBe(3)
      expect(new Set(from.map((p) => bridge.peerGroup(p)))).toEqual(new Set(['udp:127.0.0.1']))
      const mc = await udpMulticastFace(await loopbackMulticast())
      faces.push(mc)
      expect(mc.peerGroup('udp:127.0.0.1:5000')).toBe('udp:127.0.0.1')
    })
  })
})
