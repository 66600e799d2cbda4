// Entry bundles (docs/extensions.md "Entry bundle", "Entry bundles between tinyssb-ts nodes"): two
// default nodes catch up in bundles; a raw asker gets bundles only when its WANT carries the marker,
// within the amplification bound; a broadcast face bundles only while every peer heard there is a
// tinyssb-ts node; malformed or garbage bundles are counted drops, never a crash; live-edge and
// 'lora' WANTs carry no marker (seeded memory hub, fake clock).
import { mulberry32, type Face, type FakeClock } from '@tinyssb/core'
import {
  BUNDLE_MIN_BYTES,
  DMX_BYTES,
  PACKET_BYTES,
  bundleDmx,
  bundleWantRecord,
  decodeBundle,
  decodeWant,
  encodeBundle,
  encodeWant,
  isBundle,
  isBundleWantRecord,
  maxBundleEntries,
  toHex,
  wantDmx,
  type Entry,
  type WantRecord,
} from '@tinyssb/packet'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { resolveFaces } from '../src/faces.js'
import { AMPLIFICATION, PEER_KIND_MS, createNode, type FaceOptions, type NodeOptions, type TinyNode } from '../src/index.js'
import { padRequest, wantAnswerBytes, withoutPadding } from '../src/padding.js'
import { flush, produce, signerFor, storeView, stores } from './helpers.js'

/** `face`, recording every frame it sends; `broadcast`: not addressable (every send reaches every peer). */
function recording(face: Face, sent: Uint8Array[], broadcast = false): Face {
  return {
    name: face.name,
    mtu: face.mtu,
    addressable: broadcast ? false : (face.addressable ?? false),
    send(frame, to) {
      sent.push(frame.slice())
      return to === undefined || broadcast ? face.send(frame) : face.send(frame, to)
    },
    onFrame: (h) => face.onFrame(h),
    close: () => face.close(),
  }
}

/** Alternates flushing (the nodes idle) and clock steps until `done` or `maxMs` of virtual time. */
async function drive(clock: FakeClock, nodes: TinyNode[], done: () => boolean, maxMs: number, stepMs = 5): Promise<boolean> {
  for (let t = 0; t <= maxMs; t += stepMs) {
    await flush()
    for (const n of nodes) await n.idle()
    if (done()) return true
    clock.advance(stepMs)
  }
  return done()
}

const sameDmx = (frame: Uint8Array, dmx: Uint8Array) => frame.length >= DMX_BYTES && dmx.every((b, i) => frame[i] === b)
const marked = (frame: Uint8Array) => decodeWant(frame).records.some(isBundleWantRecord)

/** B (options `b`, face options `bFace`) catches up `n` entries of A's feed (options `a`). */
async function catchUp(opts: { seed: number; n: number; a?: Partial<NodeOptions>; b?: Partial<NodeOptions>; bFace?: Omit<FaceOptions, 'face'>; mtu?: number; afterMs?: number }) {
  const clock = fakeClock()
  const hub = memoryHub({ seed: opts.seed, clock, delayMs: [1, 5], ...(opts.mtu ? { mtu: opts.mtu } : {}) })
  const sa = stores()
  const sb = stores()
  const signer = signerFor(80)
  const fid = signer.publicKey
  const entries = await produce(sa.logs, signer, opts.n)
  await sb.logs.create(fid)
  const sentA: Uint8Array[] = []
  const sentB: Uint8Array[] = []
  const faceB = recording(hub.face('B'), sentB)
  const nodeA = createNode({ ...sa, faces: [recording(hub.face('A'), sentA)], clock, ownFeeds: [fid], random: mulberry32(opts.seed), ...opts.a })
  const nodeB = createNode({ ...sb, faces: [opts.bFace ? { face: faceB, ...opts.bFace } : faceB], clock, random: mulberry32(opts.seed + 1), ...opts.b })
  await nodeA.start()
  await nodeB.start()
  const ok = await drive(clock, [nodeA, nodeB], () => nodeB.front(fid) === opts.n, 60_000)
  // what B sends once caught up (the live edge)
  const caughtUpAt = sentB.length
  if (opts.afterMs) await drive(clock, [nodeA, nodeB], () => false, opts.afterMs, 50)
  await nodeA.stop()
  await nodeB.stop()
  await hub.close()
  let replicated = true
  for (const e of entries) replicated &&= toHex((await sb.logs.get(fid, e.seq)) ?? new Uint8Array()) === toHex(e.wire)
  const dmx = wantDmx(fid)
  const wantsOf = (frames: Uint8Array[]) => frames.filter((f) => f.length !== PACKET_BYTES && sameDmx(f, dmx))
  return { ok, replicated, nodeA, nodeB, sentA, wants: wantsOf(sentB.slice(0, caughtUpAt)), liveWants: wantsOf(sentB.slice(caughtUpAt)) }
}

describe('entry bundles between two nodes', () => {
  it('two default nodes catch up 300 entries in bundles, byte for byte, in fewer frames than entries', async () => {
    const r = await catchUp({ seed: 91, n: 300 })
    expect(r.ok && r.replicated).toBe(true)
    expect(r.nodeA.stats.bundlesSent).toBeGreaterThan(0)
    expect(r.nodeB.stats.bundlesReceived).toBeGreaterThan(0)
    expect(r.nodeB.stats.bundlesReceived).toBeLessThanOrEqual(r.nodeA.stats.bundlesSent)
    expect(r.nodeA.stats.entriesServed).toBeGreaterThanOrEqual(300)
    expect(r.nodeA.stats.framesOut).toBeLessThan(r.nodeA.stats.entriesServed)
    // every bundle A sent holds 2 … maxBundleEntries(1400) = 11 entries and fits the MTU
    const bundles = r.sentA.filter(isBundle)
    expect(bundles.length).toBe(r.nodeA.stats.bundlesSent)
    for (const b of bundles) {
      const n = decodeBundle(b).length
      expect(n).toBeGreaterThanOrEqual(2)
      expect(n).toBeLessThanOrEqual(maxBundleEntries(1400))
    }
    expect(r.wants.some(marked)).toBe(true)
    expect(r.nodeB.stats.dropped.BUNDLE_LENGTH ?? 0).toBe(0)
  }, 30_000)

  it('bundles: false on the asker: its WANTs carry no marker and it is sent no bundle', async () => {
    const r = await catchUp({ seed: 92, n: 300, b: { bundles: false } })
    expect(r.ok && r.replicated).toBe(true)
    expect(r.wants.length).toBeGreaterThan(0)
    expect(r.wants.some(marked)).toBe(false)
    expect(r.nodeA.stats.bundlesSent).toBe(0)
    expect(r.sentA.some(isBundle)).toBe(false)
    expect(r.nodeB.stats.bundlesReceived).toBe(0)
  }, 30_000)

  it('bundles: false on the holder: the asker still asks, is sent no bundle, and catches up', async () => {
    const r = await catchUp({ seed: 93, n: 300, a: { bundles: false } })
    expect(r.ok && r.replicated).toBe(true)
    expect(r.wants.some(marked)).toBe(true)
    expect(r.nodeA.stats.bundlesSent).toBe(0)
    expect(r.sentA.some(isBundle)).toBe(false)
    expect(r.nodeA.stats.framesOut).toBeGreaterThanOrEqual(300)
  }, 30_000)
})

/** A producer holding `n` entries on a (possibly broadcast) hub face, and raw faces that record what they receive. */
async function holder(n: number, opts: { broadcast?: boolean; node?: Partial<NodeOptions>; failReadsFrom?: number } = {}) {
  const clock = fakeClock()
  const hub = memoryHub({ seed: 7, clock })
  const s = stores()
  const signer = signerFor(81)
  const fid = signer.publicKey
  const entries = await produce(s.logs, signer, n)
  const sentA: Uint8Array[] = []
  // failReadsFrom: reads of that seq and beyond fail (a damaged log file)
  const from = opts.failReadsFrom
  const logs =
    from === undefined
      ? s.logs
      : storeView(s.logs, {
          get: async (f, seq) => (seq >= from ? Promise.reject(new Error('read failed')) : s.logs.get(f, seq)),
          getRange: async (f, first, count) => (first + count > from ? Promise.reject(new Error('read failed')) : s.logs.getRange!(f, first, count)),
        })
  const node = createNode({ ...s, logs, faces: [recording(hub.face('A'), sentA, opts.broadcast)], clock, ownFeeds: [fid], random: mulberry32(7), ...opts.node })
  await node.start()
  const settle = () => drive(clock, [node], () => false, 50)
  /** A raw face: what it receives, and a way to send a WANT for `seqs` (with the marker, padded as asked). */
  const raw = (name: string) => {
    const face = hub.face(name)
    const got: Uint8Array[] = []
    const bytes = { sent: 0, received: 0 }
    face.onFrame((f) => {
      got.push(f)
      bytes.received += f.length
    })
    const send = async (frame: Uint8Array) => {
      bytes.sent += frame.length
      await face.send(frame, 'A')
      await settle()
    }
    /** `headers`: bundle headers the padding pays for too (a node pads its marked WANTs so). */
    const want = async (seqs: number[], o: { marker?: boolean; pad?: boolean; headers?: number } = {}) => {
      const records: WantRecord[] = seqs.map((seq) => ({ fid, seq }))
      if (o.marker) records.push(bundleWantRecord())
      const frame = encodeWant(wantDmx(fid), records)
      const answer = wantAnswerBytes(seqs.length) + (o.headers ?? 0) * DMX_BYTES
      await send(o.pad === false ? frame : padRequest(frame, answer, { padFor: AMPLIFICATION, face }))
    }
    return { face, got, bytes, send, want }
  }
  return { clock, hub, node, fid, entries, sentA, settle, raw }
}

/** The entries a raw face received: each plain 120-byte frame, and the entries of each bundle, in order. */
function received(got: Uint8Array[]) {
  const plain = got.filter((f) => f.length === PACKET_BYTES)
  const bundles = got.filter(isBundle).map((b) => decodeBundle(b))
  return { plain: plain.map(toHex), bundles: bundles.map((b) => b.map(toHex)) }
}
const hexes = (entries: Entry[], from: number, to: number) => entries.slice(from - 1, to).map((e) => toHex(e.wire))

describe('answers to a raw asker', () => {
  it('an unmarked WANT gets plain 120-byte entries; a marked one gets bundles of the entries asked, in order', async () => {
    const h = await holder(40)
    const x = h.raw('X')
    await x.want([1, 2, 3, 4, 5])
    expect(received(x.got)).toEqual({ plain: hexes(h.entries, 1, 5), bundles: [] })
    x.got.length = 0
    await x.want([6, 7, 8, 9, 10], { marker: true })
    expect(received(x.got)).toEqual({ plain: [], bundles: [hexes(h.entries, 6, 10)] })
    x.got.length = 0
    // 15 entries: a bundle of 11 (maxBundleEntries(1400)), then one of 4
    const seqs = Array.from({ length: 15 }, (_, i) => 11 + i)
    await x.want(seqs, { marker: true })
    expect(received(x.got)).toEqual({ plain: [], bundles: [hexes(h.entries, 11, 21), hexes(h.entries, 22, 25)] })
    expect(x.got.filter(isBundle).map((b) => b.length)).toEqual([DMX_BYTES + 11 * PACKET_BYTES, DMX_BYTES + 4 * PACKET_BYTES])
    expect(h.node.stats.bundlesSent).toBe(3)
    await h.node.stop()
  })

  it('a marked WANT padded as a node pads it (the bundle header paid for) draws its bundle and its front hint', async () => {
    const h = await holder(40)
    const x = h.raw('X')
    // 6 records: 264 bytes earn 792 = 6 × 120 + 7 (the bundle's header) + 63 (a front hint)
    await x.want([1, 2, 3, 4, 5, 6], { marker: true, headers: 1 })
    expect(x.bytes.sent).toBe(264)
    expect(h.node.stats.bundlesSent).toBe(1)
    expect(h.node.stats.hintsSent).toBe(1)
    expect(h.node.stats.dropped.AMPLIFICATION ?? 0).toBe(0)
    await h.node.stop()
  })

  it('entries paid for before a read fails still go out, in a bundle', async () => {
    const h = await holder(10, { failReadsFrom: 5 })
    const x = h.raw('X')
    await x.want([1, 2, 3, 4, 5, 6], { marker: true, headers: 1 })
    expect(received(x.got)).toEqual({ plain: [], bundles: [hexes(h.entries, 1, 4)] })
    expect(h.node.stats.entriesServed).toBe(4)
    await h.node.stop()
  })

  it('a lone entry goes plain, also when the other entries asked were just sent', async () => {
    const h = await holder(10)
    const x = h.raw('X')
    await x.want([1], { marker: true })
    expect(received(x.got)).toEqual({ plain: hexes(h.entries, 1, 1), bundles: [] })
    x.got.length = 0
    await x.want([1, 2], { marker: true }) // 1 was sent within the dedup window: 2 goes alone
    expect(received(x.got)).toEqual({ plain: hexes(h.entries, 2, 2), bundles: [] })
    x.got.length = 0
    await x.want([2, 99, 3], { marker: true }) // 2 again, 99 not held: 3 alone
    expect(received(x.got)).toEqual({ plain: hexes(h.entries, 3, 3), bundles: [] })
    expect(h.node.stats.bundlesSent).toBe(0)
    await h.node.stop()
  })

  it('bundles stay within the amplification bound, headers included', async () => {
    const h = await holder(60)
    const x = h.raw('X')
    // 30 records and the marker, unpadded: 1123 bytes earn 3369 bytes of credit. Bundles of 11 cost
    // 1327 (11 × 120 + 7): two, then 5 entries (607 bytes) leave 108. Without paying the headers
    // the credit would cover 28 entries.
    await x.want(Array.from({ length: 30 }, (_, i) => 1 + i), { marker: true, pad: false })
    expect(x.bytes.sent).toBe(DMX_BYTES + 31 * 36)
    const r = received(x.got)
    expect(r.plain).toEqual([])
    expect(r.bundles).toEqual([hexes(h.entries, 1, 11), hexes(h.entries, 12, 22), hexes(h.entries, 23, 27)])
    expect(h.node.stats.dropped.AMPLIFICATION).toBeGreaterThan(0)
    expect(x.bytes.received).toBeLessThanOrEqual(AMPLIFICATION * x.bytes.sent)
    // the rest follows the next requests, every answer within the bound
    for (let k = 0; k < 4; k++) {
      h.clock.advance(250) // past the dedup window
      await x.want(Array.from({ length: 8 }, (_, i) => 28 + 8 * k + i), { marker: true, pad: false })
      expect(x.bytes.received).toBeLessThanOrEqual(AMPLIFICATION * x.bytes.sent)
    }
    const all = received(x.got)
    const got = new Set([...all.plain, ...all.bundles.flat()])
    expect(hexes(h.entries, 1, 59).every((e) => got.has(e))).toBe(true)
    await h.node.stop()
  })
})

describe('bundles on a broadcast face', () => {
  it('only while every peer heard there lately is a tinyssb-ts node', async () => {
    const h = await holder(40, { broadcast: true })
    const x = h.raw('X')
    await x.want([1, 2, 3, 4, 5], { marker: true }) // X is the only peer heard, and it asked for bundles
    expect(received(x.got)).toEqual({ plain: [], bundles: [hexes(h.entries, 1, 5)] })
    x.got.length = 0
    const y = h.raw('Y') // a peer that never asked for bundles (a poc-01 node): one frame of any kind
    await y.send(Uint8Array.from({ length: PACKET_BYTES }, (_, i) => (i * 37 + 11) & 0xff))
    await x.want([6, 7, 8, 9, 10], { marker: true })
    expect(received(x.got)).toEqual({ plain: hexes(h.entries, 6, 10), bundles: [] })
    expect(received(y.got).bundles).toEqual([]) // Y heard the answers too: plain
    x.got.length = 0
    await y.want([11]) // an unmarked WANT from Y: still plain for X
    await x.want([12, 13, 14], { marker: true })
    expect(received(x.got)).toEqual({ plain: hexes(h.entries, 11, 14), bundles: [] })
    x.got.length = 0
    // Y silent for PEER_KIND_MS: X alone again, bundles again
    await drive(h.clock, [h.node], () => false, PEER_KIND_MS + 1000, 500)
    await x.want([15, 16, 17], { marker: true })
    expect(received(x.got)).toEqual({ plain: [], bundles: [hexes(h.entries, 15, 17)] })
    await h.node.stop()
  })

  it('a peer that never marked, heard first, keeps answers plain', async () => {
    const h = await holder(10, { broadcast: true })
    const y = h.raw('Y')
    const x = h.raw('X')
    await y.want([1]) // an unmarked WANT
    x.got.length = 0
    await x.want([2, 3, 4], { marker: true })
    expect(received(x.got)).toEqual({ plain: hexes(h.entries, 2, 4), bundles: [] })
    expect(h.node.stats.bundlesSent).toBe(0)
    await h.node.stop()
  })
})

/** A consumer following the feed of signerFor(82) (n entries made by a producer store), and a raw sender. */
async function follower(n: number) {
  const clock = fakeClock()
  const hub = memoryHub({ seed: 9, clock })
  const sa = stores()
  const sb = stores()
  const signer = signerFor(82)
  const fid = signer.publicKey
  const entries = await produce(sa.logs, signer, n)
  await sb.logs.create(fid)
  const node = createNode({ ...sb, faces: [hub.face('B')], clock, random: mulberry32(9) })
  await node.start()
  const x = hub.face('X')
  const send = async (frame: Uint8Array) => {
    await x.send(frame, 'B')
    await drive(clock, [node], () => false, 20)
  }
  return { clock, hub, sa, sb, node, fid, entries, send }
}

describe('bundles received', () => {
  it('bad lengths are counted BUNDLE_LENGTH drops, and the node still catches up after', async () => {
    const f = await follower(30)
    const dmx = bundleDmx()
    const lengths = [7, 127, 246, 248, 7 + 3 * 120 + 5]
    for (const len of lengths) {
      const frame = new Uint8Array(len)
      frame.set(dmx)
      frame.fill(0x5a, DMX_BYTES)
      await f.send(frame)
    }
    expect(f.node.stats.dropped.BUNDLE_LENGTH).toBe(lengths.length)
    expect(f.node.stats.bundlesReceived).toBe(0)
    expect(f.node.front(f.fid)).toBe(0)
    // a producer joins: the catch-up succeeds
    const a = createNode({ ...f.sa, faces: [f.hub.face('A')], clock: f.clock, ownFeeds: [f.fid], random: mulberry32(10) })
    await a.start()
    expect(await drive(f.clock, [a, f.node], () => f.node.front(f.fid) === 30, 30_000)).toBe(true)
    expect(f.node.stats.bundlesReceived).toBeGreaterThan(0)
    expect(f.node.stats.dropped.BUNDLE_LENGTH).toBe(lengths.length)
    await a.stop()
    await f.node.stop()
  })

  it('a bundle of 11 garbage entries is handled like the 11 frames sent alone', async () => {
    const rand = mulberry32(12)
    const garbage = Array.from({ length: 11 }, () => Uint8Array.from({ length: PACKET_BYTES }, () => Math.floor(rand() * 256)))
    const bundled = await follower(3)
    await bundled.send(encodeBundle(garbage))
    const alone = await follower(3)
    for (const g of garbage) await alone.send(g)
    for (const f of [bundled, alone]) {
      expect(f.node.front(f.fid)).toBe(0)
      expect(await f.sb.logs.get(f.fid, 1)).toBeUndefined()
    }
    expect(bundled.node.stats.bundlesReceived).toBe(1)
    expect(bundled.node.stats.dropped).toEqual(alone.node.stats.dropped)
    expect(bundled.node.queues()).toEqual(alone.node.queues())
    // each garbage entry is parked (it may be an early answer) or counted as dropped
    expect(bundled.node.queues().parked + Object.values(bundled.node.stats.dropped).reduce((s, n) => s + n, 0)).toBe(11)
    // the bundle counts once as received
    expect(alone.node.stats.framesIn - bundled.node.stats.framesIn).toBe(10)
    // and the node keeps working: a valid bundle after the garbage is appended
    await bundled.send(encodeBundle(bundled.entries.map((e) => e.wire)))
    expect(bundled.node.front(bundled.fid)).toBe(3)
    await bundled.node.stop()
    await alone.node.stop()
  })

  it('a valid bundle of a followed feed is appended, entries out of order inside it too', async () => {
    const f = await follower(5)
    const [e1, e2, e3, e4, e5] = f.entries as [Entry, Entry, Entry, Entry, Entry]
    await f.send(encodeBundle([e1.wire, e2.wire]))
    expect(f.node.front(f.fid)).toBe(2)
    await f.send(encodeBundle([e4.wire, e3.wire])) // [4, 3] after 2
    expect(f.node.front(f.fid)).toBe(4)
    await f.send(e5.wire)
    expect(f.node.front(f.fid)).toBe(5)
    for (const e of f.entries) expect(toHex((await f.sb.logs.get(f.fid, e.seq))!)).toBe(toHex(e.wire))
    expect(f.node.stats.bundlesReceived).toBe(2)
    await f.node.stop()
  })

  it('[3, 2] after 1 arrives at front 3', async () => {
    const f = await follower(3)
    const [e1, e2, e3] = f.entries as [Entry, Entry, Entry]
    await f.send(e1.wire)
    await f.send(encodeBundle([e3.wire, e2.wire]))
    expect(f.node.front(f.fid)).toBe(3)
    await f.node.stop()
  })
})

describe('WANTs that carry no marker', () => {
  it('the live-edge WANT (2 records, 101 bytes) is unmarked: a WANT is marked when the padding has room for the marker', async () => {
    const r = await catchUp({ seed: 94, n: 40, afterMs: 10_000 })
    expect(r.ok).toBe(true)
    const records = (w: Uint8Array) => withoutPadding(decodeWant(w).records).length
    // caught up, B asks for the next entries two at a time, in WANTs as small as the original's
    const edge = r.liveWants.filter((w) => records(w) === 2)
    expect(edge.length).toBeGreaterThan(0)
    for (const w of edge) {
      expect(w.length).toBe(101) // (2 × 120 + 63) / 3
      expect(marked(w)).toBe(false)
    }
    // a WANT of r records is padded to pay for r entries and a hint, ⌈(120r + 63) / 3⌉ = 40r + 21
    // bytes, and when it asks for bundles for their headers too (7 bytes each, up to 11 entries
    // per bundle); the marker takes 36r + 43 bytes: it rides along from 5 records on, never below
    // (and not on a repair: answers asked again come one per frame)
    const all = [...r.wants, ...r.liveWants]
    expect(all.some(marked)).toBe(true)
    for (const w of all) {
      const n = records(w)
      if (marked(w)) expect(n).toBeGreaterThanOrEqual(5)
      expect(w.length).toBe(Math.ceil((120 * n + 63 + (marked(w) ? 7 * Math.ceil(n / 11) : 0)) / 3))
    }
  }, 30_000)

  it("'lora' faces, by MTU or by kind, never carry the marker nor get bundles", async () => {
    const small = await catchUp({ seed: 95, n: 20, mtu: 256 })
    const byKind = await catchUp({ seed: 96, n: 20, bFace: { kind: 'lora' } })
    for (const r of [small, byKind]) {
      expect(r.ok && r.replicated).toBe(true)
      expect(r.wants.length).toBeGreaterThan(0)
      expect(r.wants.some(marked)).toBe(false)
      expect(r.nodeA.stats.bundlesSent).toBe(0)
    }
    const logs = stores().logs
    const face = (mtu: number): Face => ({ name: `f${mtu}`, mtu, send: async () => {}, onFrame: () => () => {}, close: async () => {} })
    const profiles = resolveFaces({ logs, faces: [face(120), face(256), face(1400), { face: face(1400), kind: 'lora' }, { face: face(246), kind: 'udp' }, { face: face(BUNDLE_MIN_BYTES), kind: 'udp' }] })
    expect(profiles.map((p) => p.bundleEntries)).toEqual([0, 0, 11, 0, 0, 2])
    const off = resolveFaces({ logs, faces: [face(1400), { face: face(1400), bundles: true }], bundles: false })
    expect(off.map((p) => p.bundleEntries)).toEqual([0, 11])
  }, 30_000)
})
