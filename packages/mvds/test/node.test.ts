// The 2/MVDS rules, one by one, on a fake clock over memory faces.
import { afterEach, describe, expect, it } from 'vitest'
import { decodePayload, messageId, type Delivery, type MvdsPayload } from '../src/index.js'
import { GROUP, hex, makeNet, str, text, type Net } from './helpers.js'

let net: Net
afterEach(() => net?.close())

const kinds = (p: MvdsPayload): string =>
  [p.acks.length && 'ACK', p.offers.length && 'OFFER', p.requests.length && 'REQUEST', p.messages.length && 'MESSAGE'].filter(Boolean).join('+')
const trace = (n: Net): string[] => n.wire.map((w) => `${w.from}>${w.to}:${kinds(decodePayload(w.frame))}`)

describe('batch mode', () => {
  it('MESSAGE then ACK: exactly two payloads, and the sender holds no state afterwards', () => {
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'linear' })
    const got: Delivery[] = []
    net.nodes.b!.subscribe((d) => got.push(d))
    const id = net.nodes.a!.append(GROUP, text('hello'))
    expect(net.nodes.a!.pending()).toHaveLength(1)
    net.epochs(10)
    expect(trace(net)).toEqual(['a>b:MESSAGE', 'b>a:ACK'])
    expect(got.map((d) => [str(d.message.body), hex(d.id)])).toEqual([['hello', hex(id)]])
    expect(got[0]!.from).toEqual({ face: 'b>a', id: 'a>b' })
    expect(net.nodes.a!.pending()).toEqual([])
    expect(net.nodes.b!.has(id)).toBe(true)
    expect(net.nodes.a!.stats.sent).toEqual({ acks: 0, offers: 0, requests: 0, messages: 1 })
    expect(net.nodes.b!.stats.sent).toEqual({ acks: 1, offers: 0, requests: 0, messages: 0 })
    expect(net.nodes.b!.stats.received.messages).toBe(1)
  })

  it('new state is due at epoch + 1; after a send, sendCount and sendEpoch follow the policy', () => {
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'linear' }, (from) => from === 'a') // a's frames are lost
    const a = net.nodes.a!
    net.epochs(3)
    a.append(GROUP, text('x'))
    expect(a.pending()[0]).toMatchObject({ type: 'MESSAGE', sendCount: 0, sendEpoch: a.epoch + 1 })
    const sentAt: number[] = []
    for (let i = 0; i < 25; i++) {
      const before = net.wire.length
      const epoch = a.epoch
      net.epochs(1)
      if (net.wire.length > before) sentAt.push(epoch)
    }
    // linear: next = epoch + 2·count → gaps 2, 4, 6, 8
    const gaps = sentAt.slice(1).map((e, i) => e - sentAt[i]!)
    expect(gaps).toEqual([2, 4, 6, 8])
    expect(a.pending()[0]).toMatchObject({ sendCount: 5 })
  })

  it('a lost ACK makes the sender retransmit; the receiver ACKs every copy but delivers once', () => {
    let lost = 0
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'linear' }, (from) => from === 'b' && lost++ < 2)
    let deliveries = 0
    net.nodes.b!.subscribe(() => deliveries++)
    net.nodes.a!.append(GROUP, text('x'))
    net.epochs(12)
    expect(trace(net)).toEqual(['a>b:MESSAGE', 'b>a:ACK', 'a>b:MESSAGE', 'b>a:ACK', 'a>b:MESSAGE', 'b>a:ACK'])
    expect(deliveries).toBe(1)
    expect(net.nodes.b!.stats.duplicates).toBe(2)
    expect(net.nodes.a!.pending()).toEqual([])
  })

  it('one payload per peer per epoch bundles every due record and pending ACK', () => {
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'linear' })
    for (let i = 0; i < 3; i++) net.nodes.a!.append(GROUP, text(`a${i}`))
    net.epochs(1)
    for (let i = 0; i < 2; i++) net.nodes.b!.append(GROUP, text(`b${i}`))
    net.epochs(10)
    const payloads = net.wire.map((w) => ({ from: w.from, p: decodePayload(w.frame) }))
    expect(payloads.map((x) => `${x.from}:${kinds(x.p)}`)).toEqual(['a:MESSAGE', 'b:ACK+MESSAGE', 'a:ACK'])
    expect(payloads[0]!.p.messages).toHaveLength(3)
    expect(payloads[1]!.p.acks).toHaveLength(3)
    expect(payloads[1]!.p.messages).toHaveLength(2)
  })
})

describe('interactive mode', () => {
  it('OFFER, REQUEST, MESSAGE, ACK; neither side holds state afterwards', () => {
    net = makeNet(['a', 'b'], ['a-b'], { mode: 'interactive', backoff: 'linear' })
    const got: string[] = []
    net.nodes.b!.subscribe((d) => got.push(str(d.message.body)))
    net.nodes.a!.append(GROUP, text('hi'))
    net.epochs(12)
    expect(trace(net)).toEqual(['a>b:OFFER', 'b>a:REQUEST', 'a>b:MESSAGE', 'b>a:ACK'])
    expect(got).toEqual(['hi'])
    expect(net.nodes.a!.pending()).toEqual([])
    expect(net.nodes.b!.pending()).toEqual([])
  })

  it('an OFFER of a message already held is not REQUESTed', () => {
    net = makeNet(['a', 'b'], ['a-b'], { mode: 'interactive', backoff: 'constant' })
    const body = text('same')
    net.nodes.b!.append(GROUP, body, { timestamp: 5n, mode: 'batch' })
    net.nodes.a!.append(GROUP, body, { timestamp: 5n })
    net.epochs(12)
    expect(trace(net).filter((t) => t.includes('REQUEST'))).toEqual([])
  })

  it('modes mix per message: an interactive node sends a batch message as MESSAGE', () => {
    net = makeNet(['a', 'b'], ['a-b'], { mode: 'interactive', backoff: 'constant' })
    net.nodes.a!.append(GROUP, text('batch'), { mode: 'batch' })
    net.nodes.a!.append(GROUP, text('inter'))
    net.epochs(12)
    expect(trace(net)[0]).toBe('a>b:OFFER+MESSAGE')
    expect(net.nodes.a!.pending()).toEqual([])
  })

  it('a batch node answers an interactive node (mode pair batch ↔ interactive)', () => {
    net = makeNet(['a', 'b'], ['a-b'], (n) => ({ mode: n === 'a' ? 'interactive' : 'batch', backoff: 'constant' }))
    const ia = net.nodes.a!.append(GROUP, text('from interactive'))
    const ib = net.nodes.b!.append(GROUP, text('from batch'))
    net.epochs(15)
    expect(net.nodes.a!.has(ib)).toBe(true)
    expect(net.nodes.b!.has(ia)).toBe(true)
    expect(net.nodes.a!.pending()).toEqual([])
    expect(net.nodes.b!.pending()).toEqual([])
  })
})

describe('ephemeral messages', () => {
  it('are sent once, never ACKed, never stored, and delivered', () => {
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'constant' })
    const got: string[] = []
    net.nodes.b!.subscribe((d) => got.push(str(d.message.body)))
    const id = net.nodes.a!.append(GROUP, text('now or never'), { ephemeral: true })
    expect(net.nodes.a!.pending()).toEqual([])
    net.epochs(10)
    expect(trace(net)).toEqual(['a>b:MESSAGE'])
    expect(got).toEqual(['now or never'])
    expect(net.nodes.a!.has(id)).toBe(false)
    expect(net.nodes.b!.has(id)).toBe(false)
  })

  it('a lost ephemeral message is not retransmitted', () => {
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'constant' }, () => true)
    net.nodes.a!.append(GROUP, text('gone'), { ephemeral: true })
    net.epochs(10)
    expect(net.wire).toHaveLength(1)
  })
})

describe('epochs and the clock', () => {
  it('nothing happens until the injected clock moves; epochs advance once per epochMs', () => {
    net = makeNet(['a', 'b'], ['a-b'])
    net.nodes.a!.append(GROUP, text('x'))
    expect(net.wire).toEqual([])
    expect(net.nodes.a!.epoch).toBe(0)
    net.epochs(7)
    expect(net.nodes.a!.epoch).toBe(7)
    expect(net.nodes.a!.stats.epochs).toBe(7)
  })

  it('autoEpoch false: the host ticks', () => {
    net = makeNet(['a', 'b'], ['a-b'], { autoEpoch: false, backoff: 'constant' })
    net.nodes.a!.append(GROUP, text('x'))
    net.epochs(5)
    expect(net.wire).toEqual([])
    net.nodes.a!.tick()
    net.clock.advance(0)
    expect(trace(net)).toEqual(['a>b:MESSAGE'])
    expect(net.nodes.a!.epoch).toBe(1)
  })

  it('message ids are the Go rule over the appended fields', () => {
    net = makeNet(['a', 'b'], ['a-b'])
    const id = net.nodes.a!.append(GROUP, text('x'), { timestamp: 42n })
    expect(hex(id)).toBe(hex(messageId({ groupId: GROUP, timestamp: 42n, body: text('x') })))
    expect(net.nodes.a!.get(id)?.timestamp).toBe(42n)
  })

  it('subscriptions end when unsubscribed; a throwing subscriber is counted, not fatal', () => {
    net = makeNet(['a', 'b'], ['a-b'], { backoff: 'constant' })
    let n = 0
    const off = net.nodes.b!.subscribe(() => n++)
    net.nodes.b!.subscribe(() => {
      throw new Error('boom')
    })
    net.nodes.a!.append(GROUP, text('1'))
    net.epochs(5)
    off()
    net.nodes.a!.append(GROUP, text('2'))
    net.epochs(5)
    expect(n).toBe(1)
    expect(net.nodes.b!.stats.handlerErrors).toBe(2)
  })
})
