import { describe, expect, it } from 'vitest'
import { encodeWant, isBundle, wantDmx, toHex, type Face } from '@tinyssb/packet'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { AMPLIFICATION, createNode, MAX_INBOX, PARKING_SLOTS, type TinyNode } from '../src/index.js'
import { wantAnswerBytes } from '../src/padding.js'
import { countingVerifier, flush, produce, producerAndConsumer, runUntil, signerFor, stores } from './helpers.js'

const FAST = { retryMinMs: 50, wantIntervalMs: 400 }

describe('replication over a lossless hub', () => {
  it('a consumer replicates every entry of a producer, with events', async () => {
    // B holds the trust anchor (anchor seq 0, mid fid[0:20])
    const { clock, a, b, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 1, feed: 0, entries: 100, node: FAST })
    const seen: number[] = []
    nodeB.on('append', (e) => seen.push(e.seq))
    let caughtUp = -1
    nodeB.on('caught-up', (e) => (caughtUp = e.seq))
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => caughtUp === 100)).toBe(true)
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect((await b.logs.info(fid))?.frontMid).toEqual((await a.logs.info(fid))?.frontMid)
    // want-ahead: far fewer WANT frames than entries (6 records per frame, readable by the
    // reference); the window also asks past the producer's front, which nobody can know
    expect(nodeB.stats.wantsSent).toBeLessThan(100 / 2)
    await nodeA.stop()
    await nodeB.stop()
  })

  it('a live entry published by the producer reaches the consumer unasked', async () => {
    const quiet = { wantIntervalMs: 60_000, retryMinMs: 60_000 }
    const { clock, a, signer, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 2, feed: 1, entries: 1, node: quiet })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 1, 1000)).toBe(true)
    // the WANTs of the first answer (it opens the window) leave the queue before the snapshot
    expect(await runUntil(clock, () => nodeB.queues().wantRecords === 0, 1000)).toBe(true)
    const [e] = await produce(a.logs, signer, 1)
    const wantsBefore = nodeB.stats.wantsSent
    const servedBefore = nodeA.stats.entriesServed
    await nodeA.publish(fid, e!.wire)
    expect(await runUntil(clock, () => nodeB.front(fid) === 2, 1000)).toBe(true)
    // unasked: the consumer sent no WANT for it and the producer answered none, it pushed the entry
    expect(nodeB.stats.wantsSent).toBe(wantsBefore)
    expect(nodeA.stats.entriesServed).toBe(servedBefore)
    expect(nodeA.stats.faces.A!.framesOut).toBeGreaterThan(0)
    await nodeA.stop()
    await nodeB.stop()
  })
})

describe('transitive replication under loss, duplication and reordering', () => {
  const seeds = Array.from({ length: 12 }, (_, i) => i + 1)
  it.each(seeds)('seed %i: A→B, then C catches up from B alone while A is offline', async (seed) => {
    const clock = fakeClock()
    const lossy = { seed, loss: 0.25, duplicate: 0.1, reorder: 0.3, delayMs: [1, 20] as [number, number], clock }
    const hubAB = memoryHub(lossy)
    const hubBC = memoryHub({ ...lossy, seed: seed + 1000 })
    const [a, b, c] = [stores(), stores(), stores()]
    const signer = signerFor(2)
    const fid = signer.publicKey
    const N = 60
    await produce(a.logs, signer, N)
    await b.logs.create(fid)
    await c.logs.create(fid)
    const nodeA = createNode({ ...a, faces: [hubAB.face('A')], clock, ownFeeds: [fid], ...FAST, window: 8 })
    const nodeB = createNode({ ...b, faces: [hubAB.face('B1'), hubBC.face('B2')], clock, ...FAST, window: 8 })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === N)).toBe(true)
    await nodeA.stop()
    const nodeC = createNode({ ...c, faces: [hubBC.face('C')], clock, ...FAST, window: 8 })
    await nodeC.start()
    expect(await runUntil(clock, () => nodeC.front(fid) === N)).toBe(true)
    for (let s = 1; s <= N; s++) expect(toHex((await c.logs.get(fid, s))!)).toBe(toHex((await a.logs.get(fid, s))!))
    expect(await c.logs.verify(fid)).toMatchObject({ ok: true, frontSeq: N })
    await nodeB.stop()
    await nodeC.stop()
  })
})

describe('WANT frame sizes', () => {
  it('stay within what the Python reference reads: 250 bytes on UDP-sized faces (6 records, padded), 120 on LoRa-sized ones', async () => {
    const clock = fakeClock()
    const big = memoryHub({ seed: 11, clock, mtu: 1400 })
    const small = memoryHub({ seed: 12, clock, mtu: 256 })
    const b = stores()
    const sizes = { big: [] as number[], small: [] as number[] }
    // WANTs only (entries are 120 bytes, and go to the asker alone)
    const listenBig = big.face('listen-big')
    listenBig.onFrame((f) => f.length !== 120 && sizes.big.push(f.length))
    small.face('listen-small').onFrame((f) => f.length !== 120 && sizes.small.push(f.length))
    // a producer with a backlog on each medium: the window opens after the first answers
    const signer = signerFor(9)
    const fid = signer.publicKey
    const pa = stores()
    await produce(pa.logs, signer, 300)
    const producer = createNode({ ...pa, faces: [big.face('A1'), small.face('A2')], clock, ownFeeds: [fid] })
    await producer.start()
    await b.logs.create(fid)
    const nodeB = createNode({ ...b, faces: [big.face('B1'), small.face('B2')], clock })
    await nodeB.start()
    // a poc-01 peer on the UDP-sized medium (it asks, never sends a front hint): without it, WANTs to
    // tinyssb-ts peers alone grow to the MTU (peer-kinds.test.ts)
    const other = signerFor(99).publicKey
    const pyWant = encodeWant(wantDmx(other), [{ fid: other, seq: 1 }])
    await listenBig.send(pyWant)
    let last = clock.now()
    const heard = () => {
      if (clock.now() - last >= 5_000) {
        last = clock.now()
        void listenBig.send(pyWant)
      }
      return nodeB.front(fid) === 300
    }
    expect(await runUntil(clock, heard, 30_000, 20)).toBe(true)
    // 6 records (223 bytes) padded to pay for 6 entries, a front hint and the header of the bundle
    // it asks for (the marker record) at 3 ×: 264 bytes (the original reads 250 of them: all the
    // records, and zeros)
    expect(Math.max(...sizes.big)).toBe(Math.ceil((wantAnswerBytes(6) + 7) / AMPLIFICATION))
    expect(Math.max(...sizes.small)).toBe(7 + 3 * 36) // never padded on a LoRa-sized face
    // a LoRa-sized face asks with one frame a round, never a burst
    expect(sizes.small.length).toBeLessThanOrEqual(sizes.big.length)
    await nodeB.stop()
    await producer.stop()
  })

  it('wantBytes raises the limit when every peer is tinyssb-ts', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 13, clock })
    const b = stores()
    const fid = signerFor(10).publicKey
    await b.logs.create(fid)
    const sizes: number[] = []
    hub.face('listen').onFrame((f) => void (isBundle(f) || sizes.push(f.length)))
    const signer = signerFor(10)
    const pa = stores()
    await produce(pa.logs, signer, 200)
    const producer = createNode({ ...pa, faces: [hub.face('A')], clock, ownFeeds: [signer.publicKey] })
    await producer.start()
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, wantBytes: 1400 })
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 200, 10_000, 10)).toBe(true)
    // 38 records would fit 1400 bytes, but padded they would not: 34 records, padded to 1391 bytes
    // (their answers come in 4 bundles: 4 headers of 7 bytes are paid for too)
    expect(Math.max(...sizes.filter((n) => n !== 120))).toBe(Math.ceil((wantAnswerBytes(34) + 4 * 7) / AMPLIFICATION))
    await nodeB.stop()
    await producer.stop()
  })
})

describe('hostile input', () => {
  function injector(hub: ReturnType<typeof memoryHub>): Face {
    return hub.face('attacker')
  }

  it('random frames cost no signature check and leave the node working', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 7, clock })
    const a = stores()
    const verifier = countingVerifier()
    const b = stores(verifier)
    const signer = signerFor(3)
    const fid = signer.publicKey
    await produce(a.logs, signer, 10)
    await b.logs.create(fid)
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, ...FAST })
    await nodeB.start()
    const evil = injector(hub)
    let x = 12345
    const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) & 0xff)
    for (let i = 0; i < 3000; i++) {
      const len = [1, 3, 7, 43, 120, 120, 200][i % 7]!
      await evil.send(Uint8Array.from({ length: len }, rnd))
      if (i % 500 === 499) await runUntil(clock, () => false, 1, 1) // in bursts the inbox takes
    }
    await runUntil(clock, () => false, 200)
    expect(verifier.calls).toBe(0)
    // bounded: what the flood left behind fits the limits
    const q = nodeB.queues()
    expect(q.inbox).toBe(0)
    expect(q.parked).toBeLessThanOrEqual(PARKING_SLOTS)
    expect(q.expectedBlobs).toBe(0)
    expect(nodeB.stats.dropped.NO_DMX ?? 0).toBeGreaterThan(1000)
    // still replicates afterwards
    const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], ...FAST })
    await nodeA.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 10)).toBe(true)
    await nodeA.stop()
    await nodeB.stop()
  })

  it('a forged entry with the right DMX is refused by its signature, and replication goes on', async () => {
    const { clock, hub, a, b, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 14, feed: 11, entries: 20, node: FAST })
    await nodeB.start()
    // the attacker knows the position (fid, seq 1, prev fid[0:20]) and so the DMX, not the key
    const real = (await a.logs.get(fid, 1))!
    const forged = real.slice()
    forged[20]! ^= 0xff // payload changed: the signature no longer fits
    const evil = hub.face('attacker')
    await evil.send(forged)
    await runUntil(clock, () => (nodeB.stats.dropped.PACKET_SIGNATURE ?? 0) > 0, 1000)
    expect(nodeB.front(fid)).toBe(0)
    await nodeA.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 20)).toBe(true)
    expect(toHex((await b.logs.get(fid, 1))!)).toBe(toHex(real))
    await nodeA.stop()
    await nodeB.stop()
  })

  it('a WANT flood is answered at a bounded rate', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 8, clock })
    const a = stores()
    const signer = signerFor(4)
    const fid = signer.publicKey
    await produce(a.logs, signer, 50)
    const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], serveRate: 100, serveBurst: 20 })
    await nodeA.start()
    const evil = injector(hub)
    let answers = 0
    evil.onFrame((f) => void (f.length === 120 && answers++))
    const dmx = wantDmx(fid)
    for (let i = 0; i < 3000; i++) {
      const records = Array.from({ length: 30 }, (_, k) => ({ fid, seq: 1 + ((i * 30 + k) % 50) }))
      await evil.send(encodeWant(dmx, records))
    }
    // all 3000 arrive at this instant, before the inbox is drained: a lone source gets half the
    // inbox, the rest is dropped and counted, not queued
    clock.advance(0)
    expect(nodeA.stats.faces.A!.framesIn).toBe(3000)
    expect(nodeA.stats.dropped.INBOX_FULL).toBe(3000 - MAX_INBOX / 2)
    expect(nodeA.queues().inbox).toBe(0) // the drain took the batch
    // within one second of fake time at most burst + rate answers
    await runUntil(clock, () => false, 1000, 10)
    expect(answers).toBeGreaterThan(0)
    expect(answers).toBeLessThanOrEqual(20 + 100 + 5)
    expect(nodeA.stats.dropped.RATE_LIMITED ?? 0).toBeGreaterThan(0)
    await nodeA.stop()
  })
})

describe('interplay of nodes', () => {
  it('stop() is idempotent; a stopped node answers nothing, counts nothing and leaves no timer', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 9, clock })
    const s = stores()
    const signer = signerFor(5)
    const fid = signer.publicKey
    await produce(s.logs, signer, 3) // served
    await s.logs.create(signerFor(6).publicKey) // replicated: has a timer while running
    const n: TinyNode = createNode({ ...s, faces: [hub.face('X')], clock, ownFeeds: [fid] })
    await n.start()
    await runUntil(clock, () => false, 50, 10)
    expect(clock.pending()).toBeGreaterThan(0) // the replica's retransmission timer
    await n.stop()
    await n.stop()
    const before = JSON.stringify(n.stats)
    const y = hub.face('Y')
    const answers: number[] = []
    y.onFrame((f) => answers.push(f.length))
    await y.send(encodeWant(wantDmx(fid), [{ fid, seq: 1 }])) // a running node would answer
    await y.send(new Uint8Array(3)) // and count this one as SHORT
    await runUntil(clock, () => false, 30_000, 100)
    expect(answers).toEqual([])
    expect(JSON.stringify(n.stats)).toBe(before)
    expect(clock.pending()).toBe(0) // no timer of the node left behind
  })
})
