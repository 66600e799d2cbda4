// Amplification bound: bytes sent in answer to a peer stay within a bound of the bytes it sent, sidechain blobs
// included (seeded memory hub, fake clock), while a legitimate consumer still gets every blob.
import { createChainEntry, encodeWant, wantDmx, type BlobStore, type LogStore, type Signer } from '@tinyssb/packet'
import { fakeClock, mulberry32 } from '@tinyssb/core'
import { memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { AMPLIFICATION, AMPLIFICATION_CREDIT_BYTES, createNode } from '../src/index.js'
import { produce, runUntil, signerFor, stores } from './helpers.js'

/** Appends `n` chain20 entries of `size` content bytes (their blobs stored too). */
async function chains(logs: LogStore, blobs: BlobStore, signer: Signer, n: number, size: number) {
  const fid = signer.publicKey
  for (let i = 0; i < n; i++) {
    const info = (await logs.info(fid))!
    const content = Uint8Array.from({ length: size }, (_, k) => (k * 7 + i) & 0xff)
    const { entry, blobs: list } = createChainEntry({ fid, seq: info.frontSeq + 1, prev: info.frontMid }, content, signer)
    for (const b of list) await blobs.put(b)
    await logs.append(fid, entry.seq, entry.wire)
  }
}

async function attack(amplification: number | undefined, seed: number) {
  const clock = fakeClock()
  const hub = memoryHub({ seed, clock })
  const a = stores()
  const signer = signerFor(60)
  const fid = signer.publicKey
  await produce(a.logs, signer, 1)
  await chains(a.logs, a.blobs, signer, 20, 16 * 100) // chain20 entries with 16+ blobs each
  const node = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], ...(amplification ? { amplification } : {}) })
  await node.start()
  const attacker = hub.face('attacker')
  const bytes = { sent: 0, received: 0 }
  attacker.onFrame((f) => void (bytes.received += f.length))
  const rand = mulberry32(seed)
  const k = amplification ?? AMPLIFICATION
  const samples = [{ ...bytes }]
  // unpadded WANTs of 1 to 6 records for chain20 entries, 5 every 10 ms (500 frames/s), for 2 s
  for (let t = 0; t < 2000; t += 10) {
    for (let i = 0; i < 5; i++) {
      const records = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => ({ fid, seq: 2 + Math.floor(rand() * 20) }))
      const w = encodeWant(wantDmx(fid), records)
      bytes.sent += w.length
      await attacker.send(w)
    }
    await runUntil(clock, () => false, 10, 5)
    samples.push({ ...bytes })
  }
  await node.stop()
  // the worst window [i, j] of the run: bytes received in it beyond k × the bytes sent in it
  let worst = Number.NEGATIVE_INFINITY
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const [a, b] = [samples[i]!, samples[j]!]
      worst = Math.max(worst, b.received - a.received - k * (b.sent - a.sent))
    }
  }
  return { ...bytes, worst, drops: node.stats.dropped.AMPLIFICATION ?? 0, blobs: node.stats.blobsServed }
}

describe('amplification bound', () => {
  it('the default is 3 ×', () => expect(AMPLIFICATION).toBe(3))

  it.each([[undefined], [2], [4]])('amplification %s: a peer asking for chain20 entries gets at most that × its bytes in any window', async (factor) => {
    const r = await attack(factor, 61)
    const k = factor ?? AMPLIFICATION
    expect(r.drops).toBeGreaterThan(0) // AMPLIFICATION drops counted
    expect(r.blobs).toBeGreaterThan(0) // sidechain blobs went out, and counted in the bytes
    expect(r.received).toBeGreaterThan(r.sent) // it was served, just not without bound
    // in every window of the run: received ≤ k × sent + the credit a peer may hold
    expect(r.worst).toBeLessThanOrEqual(AMPLIFICATION_CREDIT_BYTES)
    expect(r.received).toBeLessThanOrEqual(k * r.sent + AMPLIFICATION_CREDIT_BYTES)
    // and the credit was used: the bound, not something else, held the attacker back
    expect(r.received).toBeGreaterThan((k - 0.5) * r.sent)
  })

  it('without the bound the same attack is amplified far more (the test measures what it claims)', async () => {
    const r = await attack(Number.POSITIVE_INFINITY, 61)
    expect(r.received).toBeGreaterThan(8 * r.sent)
  })

  it('a consumer catching up chain20 entries gets every blob within the bound', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 62, clock, delayMs: [1, 5] })
    const a = stores()
    const b = stores()
    const signer = signerFor(61)
    const fid = signer.publicKey
    await produce(a.logs, signer, 1)
    await chains(a.logs, a.blobs, signer, 10, 1000) // 10 × 10 blobs
    await b.logs.create(fid)
    const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, retryMinMs: 200 })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 11 && nodeB.stats.blobsStored === 100, 20_000, 5)).toBe(true)
    expect(nodeA.stats.bytesOut).toBeLessThanOrEqual(AMPLIFICATION * nodeB.stats.bytesOut + AMPLIFICATION_CREDIT_BYTES)
    await nodeA.stop()
    await nodeB.stop()
  })
})
