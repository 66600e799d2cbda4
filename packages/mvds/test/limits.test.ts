// Bad input and bounds: undecodable payloads, wrong-length ids, unknown ids, floods of OFFERs and
// REQUESTs, oversized bodies, full stores; and the split of a payload to the face's MTU.
import { afterEach, describe, expect, it } from 'vitest'
import { MvdsError, decodePayload, encodePayload, type MvdsPayload } from '../src/index.js'
import { GROUP, makeNet, text, type Net } from './helpers.js'

let net: Net
afterEach(() => net?.close())

const none: MvdsPayload = { acks: [], offers: [], requests: [], messages: [] }
const id = (n: number): Uint8Array => {
  const b = new Uint8Array(32)
  new DataView(b.buffer).setUint32(0, n)
  return b
}

/** A face on a's link hub that is not a node: whatever it sends reaches a (and b). */
function intruder(n: Net) {
  const face = n.hubs[0]!.face('evil')
  return (frame: Uint8Array) => {
    void face.send(frame)
    n.clock.advance(0)
  }
}

describe('bad input is dropped and counted, never thrown', () => {
  it('undecodable payloads and wrong-length ids', () => {
    net = makeNet(['a', 'b'], ['a-b'])
    const send = intruder(net)
    send(new Uint8Array([0x0a, 0x20, 1]))
    send(new Uint8Array([0x1a, 3, 1, 2, 3]))
    const a = net.nodes.a!
    expect(a.stats.dropped).toMatchObject({ MVDS_DECODE: 1, MVDS_ID_LENGTH: 1 })
    expect(a.stats.framesIn).toBe(2)
  })

  it('ACKs and REQUESTs of unknown ids, and REQUESTs from a peer the group is not shared with', () => {
    net = makeNet(['a', 'b'], ['a-b'])
    const send = intruder(net)
    const a = net.nodes.a!
    const known = a.append(GROUP, text('x'))
    send(encodePayload({ ...none, acks: [id(1)], requests: [id(2), known] }))
    expect(a.stats.acksUnknown).toBe(1)
    expect(a.stats.dropped).toMatchObject({ MVDS_UNKNOWN_ID: 1, MVDS_NOT_SHARED: 1 })
    expect(a.pending()).toHaveLength(1) // only the MESSAGE to b
  })

  it('a flood of REQUESTs for one message makes one record; a flood of OFFERs is bounded per peer', () => {
    net = makeNet(['a', 'b'], ['a-b'], { maxStatePerPeer: 50, autoEpoch: false }, () => false, 65_000)
    const a = net.nodes.a!
    const b = net.nodes.b!
    const known = a.append(GROUP, text('x'))
    a.removePeer(GROUP, { face: 'a>b', id: 'b>a' })
    // b's face to a is the second face of the first hub
    a.addPeer(GROUP, { face: 'a>b', id: 'evil' })
    const send = intruder(net)
    for (let i = 0; i < 20; i++) send(encodePayload({ ...none, requests: Array.from({ length: 100 }, () => known) }))
    expect(a.pending({ face: 'a>b', id: 'evil' }).filter((r) => r.type === 'MESSAGE')).toHaveLength(1)
    send(encodePayload({ ...none, offers: Array.from({ length: 400 }, (_, i) => id(i + 10)) }))
    expect(a.pending({ face: 'a>b', id: 'evil' })).toHaveLength(50)
    expect(a.stats.dropped.MVDS_STATE_FULL).toBe(351) // 1 MESSAGE + 49 REQUESTs fill the 50
    expect(b.stats.dropped.MVDS_STATE_FULL).toBe(350) // b hears the intruder too; it holds no MESSAGE for it
  })

  it('all state together is bounded too (many peers each flooding OFFERs)', () => {
    net = makeNet(['a', 'b'], ['a-b'], { maxState: 30, autoEpoch: false }, () => false, 65_000)
    const hub = net.hubs[0]!
    for (let p = 0; p < 5; p++) {
      const face = hub.face(`spoof${p}`)
      void face.send(encodePayload({ ...none, offers: Array.from({ length: 10 }, (_, i) => id(100 * p + i)) }))
    }
    net.clock.advance(0)
    expect(net.nodes.a!.pending()).toHaveLength(30)
    expect(net.nodes.a!.stats.dropped.MVDS_STATE_FULL).toBe(20)
  })

  it('payloads over maxRecords or maxPayloadBytes are dropped whole', () => {
    net = makeNet(['a', 'b'], ['a-b'], { limits: { maxRecords: 10 } })
    const send = intruder(net)
    send(encodePayload({ ...none, acks: Array.from({ length: 11 }, (_, i) => id(i)) }))
    expect(net.nodes.a!.stats.dropped.MVDS_TOO_MANY_RECORDS).toBe(1)
    expect(net.nodes.a!.stats.received.acks).toBe(0)
  })

  it('a body no face can carry is refused at append', () => {
    net = makeNet(['a', 'b'], ['a-b'], {}, () => false, 200)
    expect(() => net.nodes.a!.append(GROUP, new Uint8Array(300))).toThrow(MvdsError)
    try {
      net.nodes.a!.append(GROUP, new Uint8Array(300))
    } catch (err) {
      expect((err as MvdsError).code).toBe('MVDS_BODY_TOO_LARGE')
    }
    expect(() => net.nodes.a!.append(new Uint8Array(5), text('x'))).toThrow(/group id/)
  })

  it('a full message store drops (no ACK, so the sender keeps it)', () => {
    net = makeNet(['a', 'b'], ['a-b'], (n) => ({ maxMessages: n === 'b' ? 2 : 100, backoff: 'linear' }))
    for (let i = 0; i < 3; i++) net.nodes.a!.append(GROUP, text(`m${i}`))
    net.epochs(2)
    expect(net.nodes.b!.stores.messages.size).toBe(2)
    expect(net.nodes.b!.stats.dropped.MVDS_STORE_FULL).toBe(1)
    expect(net.nodes.a!.pending()).toHaveLength(1)
  })
})

describe('a payload larger than the MTU is split', () => {
  it('into frames that each fit: acks, offers, requests first, then whole messages', () => {
    const mtu = 300
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'linear' }, () => false, mtu)
    for (let i = 0; i < 10; i++) net.nodes.a!.append(GROUP, new Uint8Array(100).fill(i))
    net.epochs(4)
    const fromA = net.wire.filter((w) => w.from === 'a').slice(0, 5)
    expect(fromA.every((w) => w.frame.length <= mtu)).toBe(true)
    expect(fromA.map((w) => decodePayload(w.frame).messages.length)).toEqual([2, 2, 2, 2, 2])
    const fromB = net.wire.filter((w) => w.from === 'b').map((w) => decodePayload(w.frame))
    expect(fromB.map((p) => p.acks.length)).toEqual([8, 2]) // 34 bytes each: 8 fit in 300
    expect(net.nodes.b!.stores.messages.size).toBe(10)
    expect(net.nodes.a!.pending()).toEqual([])
  })
})
