// Relay (store-and-forward through a node that shares the group with both ends), de-duplication
// versus the Go reference's duplicate state, MVDS-META parents, reset on contact, backoff policies.
import { afterEach, describe, expect, it } from 'vitest'
import {
  bspBackoff,
  constantBackoff,
  decodePayload,
  exponentialBackoff,
  linearBackoff,
  messageId,
  statusGoBackoff,
  type MvdsNodeOptions,
} from '../src/index.js'
import { GROUP, hex, makeNet, str, text, type Net } from './helpers.js'

let net: Net
afterEach(() => net?.close())

describe('relay', () => {
  it.each(['batch', 'interactive'] as const)('%s: C carries A\'s message to B (A and B never meet)', (mode) => {
    net = makeNet(['a', 'b', 'c'], ['a-c', 'c-b'], { mode })
    const got: string[] = []
    net.nodes.b!.subscribe((d) => got.push(str(d.message.body)))
    const id = net.nodes.a!.append(GROUP, text('via c'))
    net.epochs(20)
    expect(got).toEqual(['via c'])
    expect(net.nodes.c!.has(id)).toBe(true)
    for (const n of ['a', 'b', 'c']) expect(net.nodes[n]!.pending()).toEqual([])
    expect(net.wire.every((w) => w.from !== 'a' || w.to === 'c')).toBe(true)
  })

  it('a message already held is not relayed again; dedupe: false relays every copy, as the Go reference', () => {
    const sent = (dedupe: boolean): number => {
      net = makeNet(['a', 'b', 'c'], ['a-b', 'a-c', 'b-c'], { dedupe, backoff: 'linear' })
      net.nodes.a!.append(GROUP, text('x'))
      net.epochs(10)
      const n = Object.values(net.nodes).reduce((sum, node) => sum + node.stats.sent.messages, 0)
      expect(net.nodes.c!.stats.duplicates).toBeGreaterThan(0)
      void net.close()
      return n
    }
    expect(sent(true)).toBe(4) // a→b, a→c, b→c, c→b
    expect(sent(false)).toBeGreaterThan(4)
  })

  it('dedupe: false keeps duplicate state records (copy 1, 2, …), removed together by one ACK', () => {
    net = makeNet(['a', 'b'], ['a-b'], { dedupe: false, backoff: 'linear' })
    const a = net.nodes.a!
    a.append(GROUP, text('x'), { timestamp: 1n })
    a.append(GROUP, text('x'), { timestamp: 1n })
    expect(a.pending().map((r) => r.copy)).toEqual([0, 1])
    net.epochs(1)
    expect(decodePayload(net.wire[0]!.frame).messages).toHaveLength(2)
    net.epochs(2)
    expect(a.pending()).toEqual([])
  })
})

describe('MVDS-META parents', () => {
  const chain = (delivery: 'eventual' | 'consistent', o: Partial<MvdsNodeOptions> = {}) => {
    net = makeNet(['a', 'b'], ['a-b'], { delivery, dag: true, backoff: 'linear', ...o })
    return net
  }

  it('appends name the heads as parents (dag: true)', () => {
    chain('eventual')
    const a = net.nodes.a!
    const first = a.append(GROUP, text('1'))
    const second = a.append(GROUP, text('2'))
    expect(a.get(first)!.metadata).toEqual({ parents: [], ephemeral: false })
    expect(a.get(second)!.metadata!.parents.map(hex)).toEqual([hex(first)])
  })

  it.each(['eventual', 'consistent'] as const)('%s: a missing parent is REQUESTed from the sender', (delivery) => {
    chain(delivery)
    const a = net.nodes.a!
    const got: string[] = []
    net.nodes.b!.subscribe((d) => got.push(str(d.message.body)))
    // the parent exists only at a and is never offered: a appends it while b is not a peer yet
    a.removePeer(GROUP, { face: 'a>b', id: 'b>a' })
    const parent = a.append(GROUP, text('parent'))
    a.addPeer(GROUP, { face: 'a>b', id: 'b>a' })
    a.append(GROUP, text('child'))
    net.epochs(1)
    expect(got).toEqual(delivery === 'eventual' ? ['child'] : [])
    net.epochs(1)
    const requests = net.wire.filter((w) => w.from === 'b').flatMap((w) => decodePayload(w.frame).requests.map(hex))
    expect(requests).toEqual([hex(parent)])
    net.epochs(10)
    expect(got).toEqual(delivery === 'eventual' ? ['child', 'parent'] : ['parent', 'child'])
    expect(net.nodes.b!.pending()).toEqual([])
  })

  it('consistent: a grandchild waits for the whole chain', () => {
    chain('consistent')
    const b = net.nodes.b!
    const got: string[] = []
    b.subscribe((d) => got.push(str(d.message.body)))
    const g = new Uint8Array(GROUP)
    const m1 = { groupId: g, timestamp: 1n, body: text('1') }
    const id1 = messageId(m1)
    const m2 = { groupId: g, timestamp: 2n, body: text('2'), metadata: { parents: [id1], ephemeral: false } }
    const id2 = messageId(m2)
    const a = net.nodes.a!
    a.removePeer(GROUP, { face: 'a>b', id: 'b>a' })
    a.append(GROUP, m1.body, { timestamp: 1n, parents: [] })
    a.append(GROUP, m2.body, { timestamp: 2n, parents: [id1] })
    a.addPeer(GROUP, { face: 'a>b', id: 'b>a' })
    a.append(GROUP, text('3'), { timestamp: 3n, parents: [id2] })
    net.epochs(30)
    expect(got).toEqual(['1', '2', '3'])
  })
})

describe('reset on contact', () => {
  it('a payload from the peer makes its records due in the next epoch', () => {
    let aDown = true
    net = makeNet(['a', 'b'], ['a-b'], { backoff: exponentialBackoff({ cap: 1000 }), resetOnContact: true }, (from) => from === 'a' && aDown)
    const a = net.nodes.a!
    a.append(GROUP, text('x'))
    net.epochs(6) // sent at 1, 2, 4 (lost): next at 8
    const before = a.pending()[0]!
    expect(before.sendEpoch).toBeGreaterThan(a.epoch + 1)
    aDown = false
    net.nodes.b!.append(GROUP, text('hello a'))
    net.epochs(1) // b's payload reaches a
    expect(a.pending().find((r) => hex(r.id) === hex(before.id))!.sendEpoch).toBe(a.epoch + 1)
  })

  it('contact() does the same on the host\'s word', () => {
    net = makeNet(['a', 'b'], ['a-b'], { backoff: exponentialBackoff({ cap: 1000 }) }, () => true)
    const a = net.nodes.a!
    a.append(GROUP, text('x'))
    net.epochs(6)
    expect(a.pending()[0]!.sendEpoch).toBeGreaterThan(a.epoch + 1)
    a.contact({ face: 'a>b', id: 'b>a' })
    expect(a.pending()[0]!.sendEpoch).toBe(a.epoch + 1)
  })
})

describe('backoff policies', () => {
  const r = () => 0.5
  it('follow their formulas', () => {
    expect([1, 2, 3].map((c) => constantBackoff()(c, 10, r))).toEqual([11, 11, 11])
    expect([1, 2, 3].map((c) => linearBackoff()(c, 10, r))).toEqual([12, 14, 16])
    expect([1, 2, 3, 4, 5].map((c) => exponentialBackoff({ cap: 4 })(c, 10, r))).toEqual([11, 12, 14, 14, 14])
    expect([1, 2].map((c) => statusGoBackoff()(c, 0, r))).toEqual([90 + 15, 180 + 15])
    expect([1, 2].map((c) => bspBackoff({ maxLatency: 3 })(c, 0, r))).toEqual([12, 24])
  })
  it('never overflow', () => {
    expect(statusGoBackoff()(5000, 0, r)).toBe(Number.MAX_SAFE_INTEGER)
    expect(bspBackoff()(5000, 10, r)).toBe(Number.MAX_SAFE_INTEGER)
  })
})
