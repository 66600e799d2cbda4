// Front hints on the seeded memory hub with the fake clock: sent when a WANT shows a peer is behind
// (rate-limited), kept bounded, settled when the entry arrives (false ones dropped and counted),
// used for lag and progress only; own feeds behind their peers raise 'own-feed-behind'.
import { fakeClock } from '@tinyssb/core'
import { createPlainEntry, encodeFrontHint, frontHintDmx, type Entry } from '@tinyssb/packet'
import { memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { HINT_PEERS_PER_FEED, HINT_TTL_MS, createNode, type NodeEvents, type ProgressEvent } from '../src/index.js'
import { produce, producerAndConsumer, runUntil, signerFor, stores } from './helpers.js'

const mid = (b: number) => new Uint8Array(20).fill(b)

describe('front hints', () => {
  it('a consumer learns how far behind it is, sees progress with a target, and confirms the hint', async () => {
    const { clock, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 90, feed: 20, entries: 300, delayMs: [1, 3] })
    const progress: ProgressEvent[] = []
    nodeB.on('progress', (e) => progress.push(e))
    let hintedAt: number | undefined // the front when the hint was first known
    nodeB.on('append', (e) => {
      if (hintedAt === undefined && nodeB.lag(fid)?.hinted === 300) hintedAt = e.seq
    })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 300, 30_000, 5)).toBe(true)
    expect(nodeA.stats.hintsSent).toBeGreaterThan(0)
    expect(hintedAt).toBeLessThan(250) // known long before the front got there
    const withTarget = progress.filter((p) => p.target === 300 && p.behind > 0)
    expect(withTarget.length).toBeGreaterThan(0)
    expect(progress.some((p) => p.rate > 0)).toBe(true)
    expect(progress.at(-1)).toMatchObject({ front: 300, target: 300, behind: 0 })
    expect(nodeB.stats.hintsConfirmed).toBeGreaterThan(0)
    expect(nodeB.stats.hintsContradicted).toBe(0)
    expect(nodeB.lag(fid)).toMatchObject({ front: 300, hinted: undefined, behind: 0, incompleteChains: 0 })
    await nodeA.stop()
    await nodeB.stop()
  })

  it('a server sends a hint for a feed at most once per 10 s to a peer', async () => {
    const node = { window: 6, serveRate: 50, serveBurst: 10 }
    const { clock, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 91, feed: 21, entries: 3000, node })
    await nodeA.start()
    await nodeB.start()
    await runUntil(clock, () => false, 40_000, 20)
    expect(nodeB.front(fid)).toBeLessThan(3000) // still catching up: every WANT shows B behind
    expect(nodeA.stats.hintsSent).toBeGreaterThanOrEqual(3)
    expect(nodeA.stats.hintsSent).toBeLessThanOrEqual(5)
    await nodeA.stop()
    await nodeB.stop()
  })

  it('false hints are contradicted when the entry arrives, dropped, counted, and never stop replication', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 92, clock })
    const a = stores()
    const b = stores()
    const signer = signerFor(22)
    const fid = signer.publicKey
    await produce(a.logs, signer, 10)
    await b.logs.create(fid)
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock })
    const progress: ProgressEvent[] = []
    nodeB.on('progress', (e) => progress.push(e))
    await nodeB.start()
    const liar = hub.face('liar')
    const dreamer = hub.face('dreamer')
    await liar.send(encodeFrontHint([{ fid, seq: 5, mid: mid(7) }]), 'B')
    await dreamer.send(encodeFrontHint([{ fid, seq: 20, mid: mid(8) }]), 'B')
    await runUntil(clock, () => false, 50, 5)
    expect(nodeB.stats.hintsReceived).toBe(2)
    expect(nodeB.lag(fid)).toMatchObject({ front: 0, hinted: 20, behind: 20 })
    // the feed's producer comes: B replicates all of it, hints or not
    const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    await nodeA.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 10, 20_000, 20)).toBe(true) // B asks again on its timer
    expect(nodeB.stats.hintsContradicted).toBe(1)
    expect(nodeB.stats.dropped.HINT_CONTRADICTED).toBe(1)
    // the liar is ignored for a while; the dreamer's hint expires
    await liar.send(encodeFrontHint([{ fid, seq: 50, mid: mid(9) }]), 'B')
    await runUntil(clock, () => false, 300, 5) // past PROGRESS_INTERVAL_MS: the last state is announced
    expect(nodeB.lag(fid)?.hinted).toBe(20) // not 50
    expect(progress.at(-1)).toMatchObject({ front: 10, target: 20, behind: 10 })
    await runUntil(clock, () => false, HINT_TTL_MS, 100)
    expect(nodeB.lag(fid)).toMatchObject({ front: 10, hinted: undefined, behind: 0 })
    // the expiry is an event too: whoever shows (or acts on) the target learns it is gone
    expect(progress.at(-1)).toMatchObject({ front: 10, target: undefined, behind: 0 })
    await nodeA.stop()
    await nodeB.stop()
  })

  it('keeps a few hints per feed (the latest peers), and counts malformed hints by code', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 93, clock })
    const b = stores()
    const fid = signerFor(23).publicKey
    await b.logs.create(fid)
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock })
    await nodeB.start()
    for (let i = 0; i < 50; i++) await hub.face(`p${i}`).send(encodeFrontHint([{ fid, seq: 200 - i, mid: mid(i) }]), 'B')
    await runUntil(clock, () => false, 50, 5)
    expect(nodeB.stats.hintsReceived).toBe(50)
    // only the last HINT_PEERS_PER_FEED peers are kept: 200 - 49 + HINT_PEERS_PER_FEED - 1
    expect(nodeB.lag(fid)?.hinted).toBe(151 + HINT_PEERS_PER_FEED - 1)
    const short = new Uint8Array(30)
    short.set(frontHintDmx())
    await hub.face('fuzz').send(short, 'B')
    await runUntil(clock, () => false, 50, 5)
    expect(nodeB.stats.dropped.FRONT_HINT_LENGTH).toBe(1)
    await nodeB.stop()
  })
})

describe('own feed behind', () => {
  async function ownNode(seed: number) {
    const clock = fakeClock()
    const hub = memoryHub({ seed, clock })
    const a = stores()
    const signer = signerFor(24)
    const fid = signer.publicKey
    const entries = await produce(a.logs, signer, 5)
    const node = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    const events: Array<NodeEvents['own-feed-behind']> = []
    node.on('own-feed-behind', (e) => events.push(e))
    await node.start()
    const peer = hub.face('peer')
    const deliver = async (frame: Uint8Array) => {
      await peer.send(frame, 'A')
      await runUntil(clock, () => false, 20, 5)
    }
    const entry = (seq: number, text: string, prev: Entry): Entry =>
      createPlainEntry({ fid, seq, prev: prev.mid }, new TextEncoder().encode(text), signer)
    return { clock, a, fid, node, events, deliver, entry, last: entries[4]! }
  }

  it('a hint for an own feed past its front raises the signal', async () => {
    const o = await ownNode(94)
    expect(o.node.lag(o.fid)?.front).toBe(5)
    await o.deliver(encodeFrontHint([{ fid: o.fid, seq: 9, mid: mid(1) }]))
    expect(o.events).toMatchObject([{ source: 'hint', seq: 9, front: 5, fork: false, face: 'A', peer: 'peer' }])
    await o.node.stop()
  })

  it('an entry at front+1 of an own feed raises the signal; the node appends nothing', async () => {
    const o = await ownNode(95)
    await o.deliver(o.entry(6, 'written elsewhere', o.last).wire)
    expect(o.events).toMatchObject([{ source: 'entry', seq: 6, front: 5, fork: false }])
    expect((await o.a.logs.info(o.fid))?.frontSeq).toBe(5)
    await o.node.stop()
  })

  it('its own entry coming back is no signal; a different entry at a held seq is a fork', async () => {
    const o = await ownNode(96)
    const mine = o.entry(6, 'mine', o.last)
    await o.a.logs.append(o.fid, 6, mine.wire) // appended without publish(): the watch still waits for 6
    await o.deliver(mine.wire)
    expect(o.events).toEqual([])
    const other = o.entry(6, 'not mine', o.last)
    await o.node.publish(o.fid, mine.wire) // the node now watches 7; a forged 6 would not even match
    await o.deliver(other.wire)
    expect(o.events).toEqual([])
    const seven = o.entry(7, 'seven', mine)
    const forkOf7 = o.entry(7, 'fork of seven', mine)
    await o.a.logs.append(o.fid, 7, seven.wire)
    await o.deliver(forkOf7.wire)
    expect(o.events).toMatchObject([{ source: 'entry', seq: 7, front: 7, fork: true }])
    await o.node.stop()
  })
})
