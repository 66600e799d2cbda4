import { describe, expect, it } from 'vitest'
import { createChainEntry, toHex, type BlobStore, type LogStore, type Signer } from '@tinyssb/packet'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { AMPLIFICATION, LIVE_WANT_RECORDS, createNode } from '../src/index.js'
import { wantAnswerBytes } from '../src/padding.js'
import { produce, producerAndConsumer, runUntil, signerFor, stores } from './helpers.js'

async function appendChain(logs: LogStore, blobs: BlobStore, signer: Signer, content: Uint8Array) {
  const fid = signer.publicKey
  const info = (await logs.info(fid))!
  const { entry, blobs: list } = createChainEntry({ fid, seq: info.frontSeq + 1, prev: info.frontMid }, content, signer)
  for (const b of list) await blobs.put(b)
  await logs.append(fid, entry.seq, entry.wire)
  return { entry, blobs: list }
}

/** A live-edge WANT: 2 records (79 bytes), padded to pay for 2 entries and a front hint at 3 ×: 101 bytes. */
const LIVE_WANT_BYTES = Math.ceil(wantAnswerBytes(LIVE_WANT_RECORDS) / AMPLIFICATION)

describe('sidechains', () => {
  it('blobs follow their chain20 entry: served after it and stored by the consumer', async () => {
    const { clock, a, b, signer, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 3, feed: 5, entries: 2, node: { retryMinMs: 50 } })
    const content = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff)
    const { blobs } = await appendChain(a.logs, a.blobs, signer, content)
    expect(blobs.length).toBe(10)
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 3 && nodeB.stats.blobsStored === 10, 5000)).toBe(true)
    for (const blob of blobs) expect(toHex((await b.blobs.get((await a.blobs.put(blob)))!)!)).toBe(toHex(blob))
    await nodeA.stop()
    await nodeB.stop()
  })

  it('a published chain entry carries its blobs to the peers', async () => {
    const quiet = { wantIntervalMs: 60_000, retryMinMs: 60_000 }
    const { clock, a, signer, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 4, feed: 6, entries: 1, node: quiet })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 1, 1000)).toBe(true)
    const { entry, blobs } = await appendChain(a.logs, a.blobs, signer, new Uint8Array(300).fill(7))
    await nodeA.publish(fid, entry.wire, blobs)
    expect(await runUntil(clock, () => nodeB.front(fid) === 2 && nodeB.stats.blobsStored === blobs.length, 1000)).toBe(true)
    await nodeA.stop()
    await nodeB.stop()
  })
})

describe('timers', () => {
  it('with nobody answering, WANTs back off from retryMin to the want interval', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 5, clock })
    const b = stores()
    const fid = signerFor(7).publicKey
    await b.logs.create(fid)
    const listener = hub.face('listener')
    const frames: number[] = []
    listener.onFrame(() => frames.push(clock.now()))
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, retryMinMs: 1000, wantIntervalMs: 10_000, random: () => 0 })
    await nodeB.start()
    await runUntil(clock, () => false, 60_000, 50)
    // every round, the first included, is a probe of one frame (front+1, front+2): a node that
    // got nothing asks for no window
    const times = [...new Set(frames)]
    expect(frames.length).toBe(times.length)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    // 1 s, 2 s, 4 s, 8 s, then every 10 s (the original's ARQ interval)
    expect(gaps.slice(0, 4).map((g) => Math.round(g / 1000))).toEqual([1, 2, 4, 8])
    expect(gaps.slice(4).every((g) => Math.round(g / 1000) === 10)).toBe(true)
    await nodeB.stop()
  })

  it('emits caught-up when a replica reaches the live edge, and again only after a new backlog', async () => {
    const { clock, a, signer, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 6, feed: 8, entries: 5, node: { retryMinMs: 100 } })
    const events: number[] = []
    nodeB.on('caught-up', (e) => events.push(e.seq))
    await nodeA.start()
    await nodeB.start()
    await runUntil(clock, () => false, 5000, 20)
    expect(events).toEqual([5])
    // a pushed entry at the live edge: still caught up, no new event
    const [e6] = await produce(a.logs, signer, 1)
    await nodeA.publish(fid, e6!.wire)
    await runUntil(clock, () => false, 5000, 20)
    expect(nodeB.front(fid)).toBe(6)
    expect(events).toEqual([5])
    // a backlog (entries the producer did not push) is found by the periodic WANT and fetched
    // with want-ahead; then the replica is caught up again
    await produce(a.logs, signer, 40)
    expect(await runUntil(clock, () => nodeB.front(fid) === 46, 30_000, 20)).toBe(true)
    await runUntil(clock, () => false, 5000, 20)
    expect(events).toEqual([5, 46])
    await nodeA.stop()
    await nodeB.stop()
  })

  it('a live replica notices a backlog even when the answers arrive one by one, and asks ahead', async () => {
    const { clock, a, signer, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 16, feed: 13, entries: 3, delayMs: [5, 40] })
    await nodeA.start()
    await nodeB.start()
    await runUntil(clock, () => false, 3000, 10) // caught up, live
    expect(nodeB.front(fid)).toBe(3)
    await produce(a.logs, signer, 60) // not pushed: found by the periodic WANT
    const wantsBefore = nodeB.stats.wantsSent
    expect(await runUntil(clock, () => nodeB.front(fid) === 63, 30_000, 10)).toBe(true)
    // want-ahead (6 records a frame), not one WANT per entry
    expect(nodeB.stats.wantsSent - wantsBefore).toBeLessThan(30)
    await nodeA.stop()
    await nodeB.stop()
  })

  it('the first push right after catching up does not count as a backlog', async () => {
    const { clock, hub, a, signer, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 17, feed: 14, entries: 30, node: { random: () => 0 } })
    await nodeA.start()
    await nodeB.start()
    let caughtUpAt = -1
    nodeB.on('caught-up', () => (caughtUpAt = clock.now()))
    expect(await runUntil(clock, () => caughtUpAt >= 0, 10_000, 5)).toBe(true)
    const wants: number[] = []
    hub.face('listener').onFrame((f) => f.length !== 120 && wants.push(f.length))
    // the producer's next entry comes right after the caught-up timer (within retryMin of the
    // backlog's last entry): still one small WANT, no want-ahead round
    const [e] = await produce(a.logs, signer, 1)
    await nodeA.publish(fid, e!.wire)
    await runUntil(clock, () => false, 500, 5)
    expect(nodeB.front(fid)).toBe(31)
    expect(wants).toEqual([LIVE_WANT_BYTES])
    await nodeA.stop()
    await nodeB.stop()
  })

  it('at the live edge a replica asks like the original: one small WANT after each pushed entry', async () => {
    const { clock, hub, a, signer, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 15, feed: 12, entries: 3, node: {} })
    await nodeA.start()
    await nodeB.start()
    await runUntil(clock, () => false, 3000, 20) // caught up, live
    const wants: number[] = []
    hub.face('listener').onFrame((f) => f.length !== 120 && wants.push(f.length))
    for (let i = 0; i < 5; i++) {
      const [e] = await produce(a.logs, signer, 1)
      await nodeA.publish(fid, e!.wire)
      await runUntil(clock, () => false, 5000, 20) // 5 s between entries, as the demo producer
    }
    expect(nodeB.front(fid)).toBe(8)
    // one WANT of 2 records (79 bytes, padded to 101) per entry, plus at most one periodic WANT per 10 s
    expect(wants.every((n) => n === LIVE_WANT_BYTES)).toBe(true)
    expect(wants.length).toBeGreaterThanOrEqual(5)
    expect(wants.length).toBeLessThanOrEqual(5 + 3)
    await nodeA.stop()
    await nodeB.stop()
  })
})
