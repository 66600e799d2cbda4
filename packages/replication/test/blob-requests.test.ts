// Blob requests end to end on the seeded memory hub with the fake clock: a consumer that loses blobs
// asks for them and gets every one back; 'caught-up' waits for the sidechains; a held log with
// missing blobs is completed after start; a poc-01-like peer that ignores the requests breaks nothing.
import { fakeClock, mulberry32 } from '@tinyssb/core'
import { blobRequestDmx, decodeBlobRequest, decodeWant, equalBytes, isBlobRequest, toHex, wantDmx } from '@tinyssb/packet'
import { memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { AMPLIFICATION, AMPLIFICATION_CREDIT_BYTES, createNode, type NodeOptions } from '../src/index.js'
import { appendChains, missingBlobs } from './chain-helpers.js'
import { produce, runUntil, signerFor, stores } from './helpers.js'

const starts = (frame: Uint8Array, dmx: Uint8Array) => frame.length >= 7 && equalBytes(frame.subarray(0, 7), dmx)

const CHAINS = 8
const BLOBS_PER_CHAIN = 5 // 500 content bytes

async function lossyCatchUp(seed: number, node: Partial<NodeOptions>, maxMs: number) {
  const clock = fakeClock()
  const hub = memoryHub({ seed, clock, loss: 0.2, delayMs: [1, 10] })
  const a = stores()
  const b = stores()
  const signer = signerFor(70)
  const fid = signer.publicKey
  await produce(a.logs, signer, 1)
  const chains = await appendChains(a.logs, a.blobs, signer, CHAINS, BLOBS_PER_CHAIN * 100)
  await b.logs.create(fid)
  const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
  const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, retryMinMs: 200, ...node })
  const caughtUp: Array<{ seq: number; missing: number }> = []
  // the blobs missing, at each 'caught-up', from the chains of the entries up to its seq
  nodeB.on('caught-up', (e) => {
    const upTo = chains.filter((c) => c.entry.seq <= e.seq)
    void missingBlobs(b.blobs, upTo).then((missing) => caughtUp.push({ seq: e.seq, missing }))
  })
  await nodeA.start()
  await nodeB.start()
  const done = await runUntil(clock, () => nodeB.front(fid) === CHAINS + 1 && nodeB.lag(fid)?.incompleteChains === 0, maxMs, 20)
  await runUntil(clock, () => false, 3000, 20) // let the last timers fire
  await nodeA.stop()
  await nodeB.stop()
  return { done, nodeA, nodeB, b, chains, caughtUp, fid }
}

describe('blob requests', () => {
  it('a consumer that loses blobs on a lossy link gets every one back by asking', async () => {
    const r = await lossyCatchUp(71, {}, 120_000)
    expect(r.done).toBe(true)
    expect(await missingBlobs(r.b.blobs, r.chains)).toBe(0)
    expect(r.nodeB.stats.blobRequestsSent).toBeGreaterThan(0)
    expect(r.nodeA.stats.blobRequests).toBeGreaterThan(0)
    // 'caught-up' only once the sidechains were complete
    expect(r.caughtUp.length).toBeGreaterThan(0)
    expect(r.caughtUp.every((e) => e.missing === 0)).toBe(true)
    // within the holder's amplification bound (the requests are padded to pay for their answers)
    expect(r.nodeA.stats.bytesOut).toBeLessThanOrEqual(AMPLIFICATION * r.nodeB.stats.bytesOut + AMPLIFICATION_CREDIT_BYTES)
  })

  it('without blob requests the same run leaves blobs missing (the test above measures what it claims)', async () => {
    const r = await lossyCatchUp(71, { blobRequests: false }, 60_000)
    expect(r.nodeB.front(r.fid)).toBe(CHAINS + 1)
    expect(await missingBlobs(r.b.blobs, r.chains)).toBeGreaterThan(0)
    expect(r.nodeB.stats.blobRequestsSent).toBe(0)
    // the replica's own 'caught-up' is not held back when nothing is asked for
    expect(r.caughtUp.length).toBeGreaterThan(0)
  })

  it('a held log whose blobs are missing is completed after start (start-up scan)', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 72, clock })
    const a = stores()
    const b = stores()
    const signer = signerFor(71)
    const fid = signer.publicKey
    await produce(a.logs, signer, 1)
    const chains = await appendChains(a.logs, a.blobs, signer, 4, 350)
    // B holds the same entries, without their blobs (e.g. a log copied without its _blob directory)
    await b.logs.create(fid)
    for (let seq = 1; seq <= 5; seq++) await b.logs.append(fid, seq, (await a.logs.get(fid, seq))!)
    expect(await missingBlobs(b.blobs, chains)).toBe(16)
    const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.stats.blobsStored === 16, 30_000, 20)).toBe(true)
    expect(await missingBlobs(b.blobs, chains)).toBe(0)
    expect(nodeB.lag(fid)?.incompleteChains).toBe(0)
    await nodeA.stop()
    await nodeB.stop()
  })

  // seed 52 lets a blob arrive while its chain is being read (its 'blob' event finds no chain yet)
  it.each([1, 52, 85])('tracks at most maxChains chains at once; the rest are found again by a rescan and completed (node seed %i)', async (nodeSeed) => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 75, clock })
    const a = stores()
    const signer = signerFor(74)
    const fid = signer.publicKey
    await produce(a.logs, signer, 1)
    const chains = await appendChains(a.logs, a.blobs, signer, 12, 250)
    const b = stores()
    await b.logs.create(fid)
    const asked = new Set<string>()
    let firstWave: number | undefined
    hub.face('listener').onFrame((f) => {
      if (!isBlobRequest(f)) return
      for (const r of decodeBlobRequest(f).records) asked.add(toHex(r.ptr))
      firstWave ??= asked.size
    })
    // the author serves the entries but holds no blobs; a holder of the blobs comes later
    const nodeA = createNode({ logs: a.logs, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, blobRequests: { maxChains: 4 }, random: mulberry32(nodeSeed) })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 13, 10_000, 20)).toBe(true)
    await runUntil(clock, () => false, 5_000, 50)
    expect(firstWave).toBeLessThanOrEqual(4)
    expect(asked.size).toBeLessThanOrEqual(4) // the other 8 chains wait for room
    expect(nodeB.lag(fid)?.incompleteChains).toBeGreaterThan(0)
    const c = stores()
    await c.logs.create(fid)
    for (let seq = 1; seq <= 13; seq++) await c.logs.append(fid, seq, (await a.logs.get(fid, seq))!)
    for (const ch of chains) for (const blob of ch.blobs) await c.blobs.put(blob)
    const nodeC = createNode({ ...c, faces: [hub.face('C')], clock })
    await nodeC.start()
    expect(await runUntil(clock, () => nodeB.lag(fid)?.incompleteChains === 0, 120_000, 50)).toBe(true)
    expect(await missingBlobs(b.blobs, chains)).toBe(0)
    expect(asked.size).toBeGreaterThan(4)
    await Promise.all([nodeA.stop(), nodeB.stop(), nodeC.stop()])
  })

  it('a poc-01-like peer that ignores blob requests and hints breaks nothing; a holder that joins later completes the chains', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 73, clock })
    const a = stores()
    const signer = signerFor(72)
    const fid = signer.publicKey
    await produce(a.logs, signer, 2)
    const chains = await appendChains(a.logs, a.blobs, signer, 3, 400)
    const b = stores()
    await b.logs.create(fid)
    // the poc-01 peer: dispatches on the WANT DMX of its log only, answers entries, never blobs
    const poc = hub.face('poc')
    const ignored = { requests: 0, other: 0 }
    poc.onFrame((frame, from) => {
      if (starts(frame, wantDmx(fid))) {
        for (const r of decodeWant(frame).records) void a.logs.get(r.fid, r.seq).then((w) => w && poc.send(w, from))
      } else if (isBlobRequest(frame)) ignored.requests++
      else ignored.other++
    })
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, retryMinMs: 200 })
    let caughtUp = 0
    nodeB.on('caught-up', () => caughtUp++)
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 5, 10_000, 20)).toBe(true)
    await runUntil(clock, () => false, 120_000, 50)
    expect(ignored.requests).toBeGreaterThan(0) // it was asked, and said nothing
    // asking backs off: a few attempts per chain, then a pause (BLOB_STALLED_RETRY_MS)
    expect(nodeB.stats.blobRequestsSent).toBeLessThanOrEqual(3 * 12)
    expect(nodeB.stats.dropped.ERROR ?? 0).toBe(0)
    expect(caughtUp).toBe(0) // entries complete, sidechains not: not caught up
    expect(nodeB.lag(fid)).toMatchObject({ front: 5, incompleteChains: 3 })
    // a tinyssb-ts holder joins: the next requests are answered
    const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    await nodeA.start()
    expect(await runUntil(clock, () => nodeB.lag(fid)?.incompleteChains === 0, 120_000, 50)).toBe(true)
    expect(await missingBlobs(b.blobs, chains)).toBe(0)
    expect(caughtUp).toBe(1)
    await nodeA.stop()
    await nodeB.stop()
  })

  it('requests use the fixed DMX and are never 120 bytes long, padded or not', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 74, clock })
    const b = stores()
    const signer = signerFor(73)
    const fid = signer.publicKey
    const a = stores()
    await produce(a.logs, signer, 1)
    await appendChains(a.logs, undefined, signer, 6, 100 * 16) // no one holds the blobs
    await b.logs.create(fid)
    for (let seq = 1; seq <= 7; seq++) await b.logs.append(fid, seq, (await a.logs.get(fid, seq))!)
    const sizes: number[] = []
    hub.face('listener').onFrame((f) => starts(f, blobRequestDmx()) && sizes.push(f.length))
    const lora = hub.face('B-lora')
    const nodeB = createNode({ ...b, faces: [hub.face('B'), { face: lora, kind: 'lora' }], clock })
    await nodeB.start()
    await runUntil(clock, () => sizes.length >= 4, 10_000, 20)
    await nodeB.stop()
    expect(sizes.length).toBeGreaterThanOrEqual(4)
    expect(sizes.includes(120)).toBe(false)
    expect(sizes.some((n) => n > 120)).toBe(true) // padded on the UDP-like face
    expect(sizes.some((n) => n <= 117)).toBe(true) // not on the LoRa face
  })
})
