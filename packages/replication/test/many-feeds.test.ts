// Many feeds: WANT records of several feeds share frames (poc-01 WANTs read every record by its own
// fid), the WANT traffic is paced by the face budget, replicas are loaded lazily, a node asks
// nothing for the feeds it only serves, and a WANT for any held feed is recognised without a DMX
// armed per log.
import { decodeWant, encodeWant, wantDmx, type WantRecord } from '@tinyssb/packet'
import type { Face } from '@tinyssb/core'
import { fakeClock, memoryHub, type FakeClock } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { createNode, EAGER_REPLICAS, type NodeOptions } from '../src/index.js'
import { withoutPadding } from '../src/padding.js'
import { produce, runUntil, signerFor, stores } from './helpers.js'

/** A store holding `feeds` logs of `entries` entries each (feeds from signerFor(100 + i)). */
async function holder(feeds: number, entries: number) {
  const s = stores()
  const fids: Uint8Array[] = []
  for (let i = 0; i < feeds; i++) {
    const signer = signerFor(100 + i)
    await produce(s.logs, signer, entries)
    fids.push(signer.publicKey)
  }
  return { ...s, fids }
}

/** `face` whose sends leave one at a time, `msPerFrame` apart on `clock`, in order. */
function pacedFace(face: Face, clock: FakeClock, msPerFrame: number): Face {
  let free = 0 // when the link is free again
  return {
    name: face.name,
    mtu: face.mtu,
    send(frame, to) {
      free = Math.max(free, clock.now()) + msPerFrame
      return new Promise((resolve, reject) => clock.setTimeout(() => face.send(frame, to).then(resolve, reject), free - clock.now()))
    },
    onFrame: (handler) => face.onFrame(handler),
    close: () => face.close(),
  }
}

/** Every WANT frame a listener hears, decoded. */
function wantsHeard(hub: ReturnType<typeof memoryHub>) {
  const frames: Array<{ at: number; from: string; records: WantRecord[]; dmx: Uint8Array }> = []
  return {
    frames,
    listen(clock: { now(): number }) {
      hub.face('listener').onFrame((f, from) => {
        if (f.length === 120) return
        const w = decodeWant(f)
        frames.push({ at: clock.now(), from, dmx: w.dmx, records: withoutPadding(w.records) })
      })
    },
  }
}

describe('many feeds', () => {
  it('records of many feeds share WANT frames, each under the WANT DMX of its first record', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 41, clock })
    const h = await holder(30, 1)
    const heard = wantsHeard(hub)
    heard.listen(clock)
    const node = createNode({ ...h, faces: [hub.face('B')], clock })
    await node.start()
    await runUntil(clock, () => false, 500, 10) // before the first timer (retryMin, 1 s)
    const first = heard.frames
    // 30 replicas × a 2-record probe = 60 records in frames of 6 (not 30 frames of 2; the
    // replicas loaded at start and those loaded right after go in two flushes)
    expect(first.reduce((n, f) => n + f.records.length, 0)).toBe(60)
    expect(first.length).toBeLessThanOrEqual(12)
    expect(first.filter((f) => new Set(f.records.map((r) => r.fid.join())).size > 1).length).toBeGreaterThan(0)
    for (const f of first) expect(f.dmx).toEqual(wantDmx(f.records[0]!.fid))
    await node.stop()
  })

  it('a node that only serves asks for nothing; own feeds are never asked for', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 42, clock })
    const h = await holder(5, 2)
    const heard = wantsHeard(hub)
    heard.listen(clock)
    const serveOnly = createNode({ ...h, faces: [hub.face('S')], clock, replicateAll: false })
    await serveOnly.start()
    const own = createNode({ ...(await holder(3, 2)), faces: [hub.face('O')], clock, ownFeeds: (await holder(3, 0)).fids })
    await own.start()
    await runUntil(clock, () => false, 30_000, 100)
    expect(heard.frames.filter((f) => f.from === 'S')).toEqual([])
    expect(heard.frames.filter((f) => f.from === 'O')).toEqual([])
    expect(serveOnly.queues().replicas).toBe(0)
    expect(own.queues().replicas).toBe(0)
    await serveOnly.stop()
    await own.stop()
  })

  it('paces WANT records at the face budget, and loads replicas lazily as the queue has room', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 43, clock })
    const h = await holder(200, 0)
    const heard = wantsHeard(hub)
    heard.listen(clock)
    const node = createNode({ ...h, faces: [{ face: hub.face('B'), wantRate: 100, wantBurst: 12 }], clock })
    await node.start()
    expect(node.queues().replicas).toBe(200) // followed at once
    await runUntil(clock, () => false, 1000, 10)
    const records = (t: number) => heard.frames.filter((f) => f.at <= t).reduce((n, f) => n + f.records.length, 0)
    // burst 12, then 100 records/s: by 1 s at most 12 + 100 records (not 200 × 2 at once)
    expect(records(1000)).toBeLessThanOrEqual(12 + 100 + 6)
    expect(records(1000)).toBeGreaterThanOrEqual(100)
    await runUntil(clock, () => false, 5000, 50)
    expect(records(6000)).toBeLessThanOrEqual(12 + 600 + 6)
    // every replica asked by now: 400 records of first probes take 4 s at 100 records/s
    const asked = new Set(heard.frames.flatMap((f) => f.records.map((r) => r.fid.join())))
    expect(asked.size).toBe(200)
    await node.stop()
  })

  it('a replica not loaded yet gets its entries: a one-feed consumer of a many-feed node, and back', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 44, clock })
    const h = await holder(EAGER_REPLICAS * 3, 20)
    const server = createNode({ ...h, faces: [hub.face('A')], clock, ownFeeds: h.fids })
    await server.start()
    // the consumer follows the last feed, and holds a few more (lazily loaded) at their anchors
    const c = stores()
    for (const fid of h.fids) await c.logs.create(fid)
    const consumer = createNode({ ...c, faces: [hub.face('B')], clock })
    await consumer.start()
    const last = h.fids.at(-1)!
    expect(await runUntil(clock, () => consumer.front(last) === 20, 60_000, 20)).toBe(true)
    expect(await runUntil(clock, () => h.fids.every((f) => consumer.front(f) === 20), 120_000, 50)).toBe(true)
    await server.stop()
    await consumer.stop()
  })

  it('answers a WANT whose records name several held feeds, under the DMX of its first record', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 45, clock })
    const h = await holder(3, 4)
    const server = createNode({ ...h, faces: [hub.face('A')], clock, replicateAll: false })
    await server.start()
    const got: number[] = []
    const asker = hub.face('asker')
    asker.onFrame((f) => f.length === 120 && got.push(f[0]!))
    const records = [
      { fid: h.fids[0]!, seq: 1 },
      { fid: h.fids[1]!, seq: 2 },
      { fid: h.fids[2]!, seq: 3 },
      { fid: signerFor(99).publicKey, seq: 1 }, // not held: no answer
    ]
    await asker.send(encodeWant(wantDmx(h.fids[0]!), records))
    await runUntil(clock, () => got.length >= 3, 1000)
    expect(got).toHaveLength(3)
    // a frame whose DMX is not the WANT DMX of its first record's feed is no WANT
    got.length = 0
    await asker.send(encodeWant(wantDmx(h.fids[1]!), records))
    await runUntil(clock, () => false, 500)
    expect(got).toHaveLength(0)
    await server.stop()
  })
  /**
   * A node holding `feeds` feeds of `entries` and one that follows them all, caught up at once on a
   * hub; `msPerFrame`: the holder's frames leave one by one, that long apart (a link that carries
   * its answers at a fixed rate, as a busy receiver takes them: they queue in order).
   */
  async function catchUpAtOnce(feeds: number, entries: number, seed: number, follower: Partial<NodeOptions> = {}, msPerFrame = 0) {
    const clock = fakeClock()
    const hub = memoryHub({ seed, clock })
    const h = await holder(feeds, entries)
    const b = stores()
    for (const fid of h.fids) await b.logs.create(fid)
    const faceA = msPerFrame > 0 ? pacedFace(hub.face('A'), clock, msPerFrame) : hub.face('A')
    const nodeA = createNode({ ...h, faces: [faceA], clock, ownFeeds: h.fids, serveRate: 1e9, serveBurst: 1e6 })
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, ...follower })
    await nodeA.start()
    await nodeB.start()
    const t0 = clock.now()
    const ok = await runUntil(clock, () => h.fids.every((fid) => nodeB.front(fid) === entries), 120_000, 5)
    const ms = clock.now() - t0
    await nodeA.stop()
    await nodeB.stop()
    await hub.close()
    return { ok, ms, nodeA, nodeB }
  }

  it('several feeds caught up at once from one peer: their answers, in one burst, are not evicted from the parking lot', async () => {
    // four windows of answers land in one inbox batch: a batch's chains are followed through the
    // batch itself, the parking lot keeps only frames ahead of a gap (before: ~60 % evicted, NO_DMX)
    const r = await catchUpAtOnce(4, 300, 43)
    expect(r.ok).toBe(true)
    expect(r.nodeB.stats.dropped.NO_DMX ?? 0).toBe(0)
    expect(r.nodeB.stats.dropped.PARKING_REFUSED ?? 0).toBe(0)
    expect(r.nodeA.stats.entriesServed).toBe(4 * 300) // nothing asked again
    expect(r.ms).toBeLessThan(2_000) // retryMin is 1 s: no entry waited for a repair round
  })

  it('many feeds catching up at once share the want-ahead: the answers in flight fit the receive path', async () => {
    // 48 windows of 128 would put ~6 000 answers in flight at once: more than the inbox holds
    // (INBOX_FULL), and the answers behind the holes overflow the parking lot (NO_DMX)
    const r = await catchUpAtOnce(48, 150, 44, { wantBytes: 1400 })
    expect(r.ok).toBe(true)
    expect(r.nodeB.stats.dropped).toEqual({})
    expect(r.nodeA.stats.entriesServed).toBe(48 * 150) // nothing asked twice
  })

  it('many small feeds at once from a peer that answers slower than the RTO: the answers queue, few are asked twice', async () => {
    // 100 feeds × 10 entries through a link of 20 ms per frame: the answers take ~6 s to come, far
    // beyond the RTO (retryMin 200 ms). A replica whose timer fires while the peer answers what
    // other replicas asked before it waits behind them instead of asking again. Before: 2 652
    // entries served for 1 000, 7 794 WANT frames, answers dropped (DUPLICATE, NO_DMX), 41 s.
    const r = await catchUpAtOnce(100, 10, 45, { retryMinMs: 200 }, 20)
    expect(r.ok).toBe(true)
    expect(r.nodeB.stats.dropped).toEqual({})
    // what is still asked twice: the rest of a window whose first answers came after a queue
    // longer than the replica's RTO, measured on its probe (see README "Not done yet")
    expect(r.nodeA.stats.entriesServed).toBeLessThanOrEqual(1_200)
    expect(r.nodeB.stats.wantsSent).toBeLessThan(1_000)
    expect(r.ms).toBeLessThan(10_000)
  })
})
