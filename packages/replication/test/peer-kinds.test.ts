// Large WANTs to tinyssb-ts peers only: a face where every peer heard lately sent a front hint
// carries WANTs up to its MTU; a peer that never hints (the Python original reads 250 bytes of a
// datagram) keeps the face at 6-record (223-byte) WANTs.
import type { Face } from '@tinyssb/core'
import { decodeWant, encodeWant, wantDmx } from '@tinyssb/packet'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { resolveFaces } from '../src/faces.js'
import { createNode, PEER_KIND_MS } from '../src/index.js'
import { withoutPadding } from '../src/padding.js'
import { PeerKinds } from '../src/peer-kinds.js'
import { produce, runUntil, signerFor, stores } from './helpers.js'

const fake = (name: string, mtu: number): Face => ({ name, mtu, send: async () => {}, onFrame: () => () => {}, close: async () => {} })

describe('PeerKinds', () => {
  it('all tinyssb-ts only while every peer heard lately sent a hint', () => {
    const clock = fakeClock()
    const k = new PeerKinds(clock)
    const f = fake('f', 1400)
    expect(k.allTinyssb(f)).toBe(false) // nobody heard
    k.heard(f, 'ts')
    expect(k.allTinyssb(f)).toBe(false) // not known yet
    k.tinyssb(f, 'ts')
    expect(k.allTinyssb(f)).toBe(true)
    k.heard(f, 'py')
    expect(k.allTinyssb(f)).toBe(false)
    clock.advance(PEER_KIND_MS - 1)
    k.heard(f, 'ts')
    expect(k.allTinyssb(f)).toBe(false) // py heard within the window
    clock.advance(1)
    expect(k.allTinyssb(f)).toBe(true) // py not heard for PEER_KIND_MS
    expect(k.allTinyssb(fake('g', 1400))).toBe(false) // per face
  })

  it('a peer forgotten by the bound while heard lately makes the face unknown', () => {
    const clock = fakeClock()
    const k = new PeerKinds(clock, { maxPeers: 2 })
    const f = fake('f', 1400)
    k.heard(f, 'py')
    k.tinyssb(f, 'a')
    k.tinyssb(f, 'b') // evicts py
    expect(k.allTinyssb(f)).toBe(false)
    clock.advance(PEER_KIND_MS)
    k.tinyssb(f, 'a')
    expect(k.allTinyssb(f)).toBe(true)
  })

  it('resolveFaces: large records up to the MTU on udp faces, paid for at 3 ×; lora faces and tinyssbWantBytes keep them small', () => {
    const logs = stores().logs
    const [udp, lora, capped] = resolveFaces({ logs, faces: [fake('u', 1400), fake('k', 256), { face: fake('c', 1400), tinyssbWantBytes: 223 }] })
    expect(udp).toMatchObject({ records: 6, largeRecords: 34 })
    expect(lora).toMatchObject({ records: 3, largeRecords: 3 })
    expect(capped).toMatchObject({ records: 6, largeRecords: 6 })
  })
})

/** A producer and a consumer on a memory hub (MTU 1400); the consumer's WANT frames are recorded. */
async function catchUp(withPythonPeer: boolean) {
  const clock = fakeClock()
  const hub = memoryHub({ seed: 5, clock, mtu: 1400 })
  const signer = signerFor(30)
  const fid = signer.publicKey
  const a = stores()
  const b = stores()
  await produce(a.logs, signer, 400)
  await b.logs.create(fid)
  const wants: Uint8Array[] = []
  hub.face('listen').onFrame((f, from) => {
    if (from === 'B' && f.length !== 120) wants.push(f)
  })
  const producer = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
  const consumer = createNode({ ...b, faces: [hub.face('B')], clock })
  await producer.start()
  // a poc-01-like peer: asks now and then (an unpadded one-record WANT of a feed nobody holds), never hints
  const py = hub.face('py')
  const other = signerFor(31).publicKey
  const pyWant = encodeWant(wantDmx(other), [{ fid: other, seq: 1 }])
  await consumer.start()
  if (withPythonPeer) await py.send(pyWant) // heard before the producer's first answer and hint
  let last = clock.now()
  const ok = await runUntil(
    clock,
    () => {
      if (withPythonPeer && clock.now() - last >= 5_000) {
        last = clock.now()
        void py.send(pyWant)
      }
      return consumer.front(fid) === 400
    },
    60_000,
    5,
  )
  await consumer.stop()
  await producer.stop()
  const records = wants.map((w) => withoutPadding(decodeWant(w).records).length)
  return { ok, records, bytes: wants.map((w) => w.length), hints: consumer.stats.hintsReceived }
}

describe('WANT size by the peers of a face', () => {
  it('a tinyssb-ts producer (it sends front hints) gets WANTs of up to 34 records, padded within the MTU', async () => {
    const r = await catchUp(false)
    expect(r.ok).toBe(true)
    expect(r.hints).toBeGreaterThan(0)
    expect(Math.max(...r.records)).toBeGreaterThan(6)
    expect(Math.max(...r.records)).toBeLessThanOrEqual(34)
    expect(Math.max(...r.bytes)).toBeLessThanOrEqual(1400)
    expect(r.records[0]).toBeLessThanOrEqual(6) // before the first hint: the size every peer reads
  })

  it('a Python-like peer on the same face (never hints) keeps every WANT at ≤ 6 records (223 bytes before padding)', async () => {
    const r = await catchUp(true)
    expect(r.ok).toBe(true)
    expect(r.hints).toBeGreaterThan(0)
    expect(Math.max(...r.records)).toBeLessThanOrEqual(6)
    expect(Math.max(...r.records.map((n) => 7 + 36 * n))).toBeLessThanOrEqual(223)
    // padded (to pay for their answers: 261 bytes, 264 with the bundle marker on this addressable
    // face) but readable whole: the records lie within the first 250 bytes
    expect(Math.max(...r.bytes)).toBeLessThanOrEqual(264)
  })
})
