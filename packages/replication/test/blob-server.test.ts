// Serving blob requests on the memory hub: plain blobs along the chain up to the granted credit, to
// the asker only, de-duplicated, within the serve budget and the amplification bound, never
// forwarded; bad requests are counted drops.
import { fakeClock } from '@tinyssb/core'
import { BLOB_REQUEST_MAX_BLOBS, blobPointer, blobRequestDmx, encodeBlobRequest, firstBlobPointer, nextBlobPointer, toHex } from '@tinyssb/packet'
import { memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { AMPLIFICATION, AMPLIFICATION_CREDIT_BYTES, createNode, type NodeOptions } from '../src/index.js'
import { appendChains } from './chain-helpers.js'
import { produce, runUntil, signerFor, stores } from './helpers.js'

/** A holder A of `n` chains of 20 blobs on a hub, with two other faces: an asker and a bystander. */
async function holder(seed: number, n: number, node: Partial<NodeOptions> = {}, withBlobs = true) {
  const clock = fakeClock()
  const hub = memoryHub({ seed, clock })
  const a = stores()
  const signer = signerFor(80)
  const fid = signer.publicKey
  await produce(a.logs, signer, 1)
  const chains = await appendChains(a.logs, a.blobs, signer, n, 2000)
  const nodeA = createNode({ ...(withBlobs ? a : { logs: a.logs }), faces: [hub.face('A')], clock, ownFeeds: [fid], ...node })
  await nodeA.start()
  const asker = hub.face('asker')
  const got: Uint8Array[] = []
  asker.onFrame((f) => void got.push(f))
  const bystander: Uint8Array[] = []
  hub.face('bystander').onFrame((f) => void bystander.push(f))
  const ask = async (frame: Uint8Array, pad = 0) => {
    const out = new Uint8Array(Math.max(frame.length, pad))
    out.set(frame)
    await asker.send(out, 'A')
    await runUntil(clock, () => false, 20, 5)
  }
  const first = (i: number) => firstBlobPointer(chains[i]!.entry.payload)!
  return { clock, nodeA, chains, got, bystander, ask, first }
}

describe('blob request server', () => {
  it('answers with the blobs of the chain, in order, up to the credit, to the asker only', async () => {
    const h = await holder(81, 1)
    await h.ask(encodeBlobRequest([{ ptr: h.first(0), credit: 5 }]), 200)
    expect(h.got.map(toHex)).toEqual(h.chains[0]!.blobs.slice(0, 5).map(toHex))
    expect(h.bystander).toEqual([])
    expect(h.nodeA.stats.blobRequests).toBe(1)
    // the chain continues from any of its blobs
    const sixth = blobPointer(h.chains[0]!.blobs[5]!)
    await h.ask(encodeBlobRequest([{ ptr: sixth, credit: 2 }]), 200)
    expect(h.got.slice(5).map(toHex)).toEqual(h.chains[0]!.blobs.slice(5, 7).map(toHex))
    await h.nodeA.stop()
  })

  it('grants at most 16 blobs per request frame, however many records ask', async () => {
    const h = await holder(82, 5)
    await h.ask(encodeBlobRequest([0, 1, 2, 3, 4].map((i) => ({ ptr: h.first(i), credit: 16 }))), 1400)
    expect(h.got.length).toBe(BLOB_REQUEST_MAX_BLOBS)
    await h.nodeA.stop()
  })

  it('does not send the same blob twice to a peer within the dedup window', async () => {
    const h = await holder(83, 1)
    const req = encodeBlobRequest([{ ptr: h.first(0), credit: 3 }])
    await h.ask(req, 200)
    await h.ask(req, 200)
    expect(h.got.length).toBe(3)
    await runUntil(h.clock, () => false, 300, 50)
    await h.ask(req, 200)
    expect(h.got.length).toBe(6)
    await h.nodeA.stop()
  })

  it('bounds amplification: small requests get at most the bound × their bytes; padded ones pay for full answers', async () => {
    const small = await holder(84, 8)
    let sent = 0
    for (let i = 0; i < 200; i++) {
      const req = encodeBlobRequest([{ ptr: small.first(i % 8), credit: 16 }]) // 29 bytes
      sent += req.length
      await small.ask(req)
      const received = small.got.reduce((n, f) => n + f.length, 0)
      expect(received).toBeLessThanOrEqual(AMPLIFICATION * sent + AMPLIFICATION_CREDIT_BYTES)
    }
    expect(small.got.length).toBeGreaterThan(0)
    expect(small.got.length).toBeLessThan(200) // asked for 3,200 blobs
    // without the bound the same requests are amplified far more (the check above can fail)
    const open = await holder(84, 8, { amplification: Number.POSITIVE_INFINITY })
    for (let i = 0; i < 200; i++) await open.ask(encodeBlobRequest([{ ptr: open.first(i % 8), credit: 16 }]))
    expect(open.got.reduce((n, f) => n + f.length, 0)).toBeGreaterThan(8 * sent)
    // a request padded to credit × 120 / AMPLIFICATION bytes is answered in full at once
    const padded = await holder(85, 1)
    await padded.ask(encodeBlobRequest([{ ptr: padded.first(0), credit: 16 }]), (16 * 120) / AMPLIFICATION)
    expect(padded.got.length).toBe(16)
    await Promise.all([small.nodeA.stop(), open.nodeA.stop(), padded.nodeA.stop()])
  })

  it('shares the face serve budget: a request beyond the burst gets the burst now and the rest later', async () => {
    const h = await holder(86, 1, { serveRate: 10, serveBurst: 4 })
    await h.ask(encodeBlobRequest([{ ptr: h.first(0), credit: 16 }]), 480)
    expect(h.got.length).toBe(4)
    await runUntil(h.clock, () => false, 2000, 50)
    await h.ask(encodeBlobRequest([{ ptr: h.first(0), credit: 1 }]), 40) // the next request continues the run
    expect(h.got.length).toBeGreaterThan(4)
    expect(new Set(h.got.map(toHex)).size).toBe(h.got.length)
    await h.nodeA.stop()
  })

  it('counts bad requests by code and never forwards a request it cannot answer', async () => {
    const h = await holder(87, 1, {}, false) // holds the entries, not the blobs
    const short = new Uint8Array(20)
    short.set(blobRequestDmx())
    await h.ask(short)
    expect(h.nodeA.stats.dropped.BLOB_REQUEST_LENGTH).toBe(1)
    const out = h.nodeA.stats.framesOut
    await h.ask(encodeBlobRequest([{ ptr: h.first(0), credit: 4 }]), 200)
    expect(h.nodeA.stats.blobRequests).toBe(1)
    expect(h.nodeA.stats.framesOut).toBe(out) // nothing sent: no answer, no forwarding
    expect(h.got).toEqual([])
    expect(h.bystander).toEqual([])
    expect(nextBlobPointer(h.chains[0]!.blobs[0]!)).toBeDefined()
    await h.nodeA.stop()
  })
})
