// The WANT server alone (fake faces, forged peer ids) and on the memory hub: answers go to the peer
// that asked, budgets are shared fairly per face, every table is bounded.
import { fakeClock, type Face, type PeerId } from '@tinyssb/core'
import { createChainEntry, encodeWant, wantDmx } from '@tinyssb/packet'
import { memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { createContext } from '../src/context.js'
import { resolveFaces } from '../src/faces.js'
import { createNode } from '../src/index.js'
import { FaceBudget } from '../src/rate-limit.js'
import { FrameRouter } from '../src/router.js'
import { WantServer } from '../src/want-server.js'
import { produce, runUntil, signerFor, stores } from './helpers.js'

/** A face that records what is sent on it, and to whom. */
function recordingFace(name: string, addressable: boolean) {
  const sent: Array<{ len: number; to: PeerId | undefined }> = []
  const face: Face = {
    name,
    mtu: 1400,
    addressable,
    send: async (frame, to) => void sent.push({ len: frame.length, to }),
    onFrame: () => () => {},
    close: async () => {},
  }
  return { face, sent }
}

async function server(opts: { addressable: boolean; entries: number; serveRate?: number; serveBurst?: number; maxPeersPerFace?: number }) {
  const clock = fakeClock()
  const s = stores()
  const signer = signerFor(30)
  const fid = signer.publicKey
  await produce(s.logs, signer, opts.entries)
  const ctx = createContext({ ...s, clock })
  const { face, sent } = recordingFace('f', opts.addressable)
  const router = new FrameRouter(ctx)
  router.running = true
  const faces = resolveFaces({ logs: s.logs, faces: [face], serveRate: opts.serveRate, serveBurst: opts.serveBurst })
  const srv = new WantServer(ctx, router, faces, { maxPeersPerFace: opts.maxPeersPerFace })
  srv.serve(fid)
  const want = (seqs: number[]) => encodeWant(wantDmx(fid), seqs.map((seq) => ({ fid, seq })))
  const deliver = async (frame: Uint8Array, peer: PeerId) => {
    router.receive(frame, face, peer)
    clock.advance(0)
    await router.idle()
  }
  return { clock, ctx, face, sent, srv, want, deliver }
}

describe('WANT server', () => {
  it('answers the peer that asked, and not the same entry twice to it within the dedup window', async () => {
    const { clock, sent, want, deliver } = await server({ addressable: true, entries: 5 })
    await deliver(want([1, 2, 9]), 'alice')
    expect(sent).toEqual([
      { len: 120, to: 'alice' },
      { len: 120, to: 'alice' },
    ])
    await deliver(want([1]), 'alice') // asked again at once: deduplicated
    await deliver(want([1]), 'bob') // another peer on an addressable face: served
    expect(sent.map((s) => s.to)).toEqual(['alice', 'alice', 'bob'])
    clock.advance(250)
    await deliver(want([1]), 'alice') // after the window: served again
    expect(sent.length).toBe(4)
  })

  it('on a broadcast face, one answer reached everyone: not repeated for another peer', async () => {
    const { sent, want, deliver } = await server({ addressable: false, entries: 3 })
    await deliver(want([1]), 'alice')
    await deliver(want([1]), 'bob')
    expect(sent).toEqual([{ len: 120, to: 'alice' }])
  })

  it('shares the face budget fairly: a flooding peer gets its share, the others theirs', async () => {
    const { clock, sent, want, deliver, ctx } = await server({ addressable: true, entries: 60, serveRate: 100, serveBurst: 10 })
    // every 10 ms, the attacker asks for 30 entries and the consumer for 6, for 3 s
    for (let t = 0; t < 3000; t += 10) {
      await deliver(want(Array.from({ length: 30 }, (_, k) => 1 + ((t / 10 + k) % 60))), 'attacker')
      await deliver(want(Array.from({ length: 6 }, (_, k) => 1 + ((t / 10 + k * 7) % 60))), 'consumer')
      clock.advance(10)
    }
    const to = (p: string) => sent.filter((s) => s.to === p).length
    const total = sent.length
    expect(total).toBeLessThanOrEqual(10 + 100 * 3 + 1) // the face's cap holds
    expect(to('consumer')).toBeGreaterThanOrEqual(0.4 * total) // about half, not what the flood leaves
    expect(to('attacker')).toBeLessThanOrEqual(0.6 * total)
    expect(ctx.stats.dropped.RATE_LIMITED).toBeGreaterThan(0)
  })

  it('keeps serve state for at most maxPeersPerFace peers, however many peer ids show up', async () => {
    const { srv, face, sent, want, deliver } = await server({ addressable: true, entries: 3, maxPeersPerFace: 8 })
    for (let i = 0; i < 100; i++) await deliver(want([1]), `forged-${i}`)
    expect(srv.peers(face).known).toBe(8)
    expect(sent.length).toBe(100) // each answered (the budget's burst covers them), to its own asker
    expect(new Set(sent.map((s) => s.to)).size).toBe(100)
  })
})

describe('WANT server: amplification bound', () => {
  it('blobs beyond the credit wait for the peer\'s next request, and all arrive in the end', async () => {
    const clock = fakeClock()
    const s = stores()
    const signer = signerFor(32)
    const fid = signer.publicKey
    await produce(s.logs, signer, 1)
    const info = (await s.logs.info(fid))!
    const content = Uint8Array.from({ length: 1000 }, (_, k) => k & 0xff) // 10 blobs
    const { entry, blobs } = createChainEntry({ fid, seq: 2, prev: info.frontMid }, content, signer)
    for (const b of blobs) await s.blobs.put(b)
    await s.logs.append(fid, 2, entry.wire)
    const ctx = createContext({ ...s, clock })
    const { face, sent } = recordingFace('f', true)
    const router = new FrameRouter(ctx)
    router.running = true
    const srv = new WantServer(ctx, router, resolveFaces({ logs: s.logs, faces: [face] }), { amplification: 4, maxCreditBytes: 1000 })
    srv.serve(fid)
    let asked = 0
    const ask = async (seq: number) => {
      const w = encodeWant(wantDmx(fid), [{ fid, seq }])
      asked += w.length
      router.receive(w, face, 'p')
      clock.advance(0)
      await router.idle()
    }
    await ask(2) // 43 bytes: 172 of credit, the entry (120) and no blob
    expect(sent.map((x) => x.len)).toEqual([120])
    for (let i = 0; i < 20 && sent.length < 11; i++) await ask(99) // asks for nothing held: credit only
    expect(sent.length).toBe(11) // the entry, then its 10 blobs, one or two per request
    const bytes = sent.reduce((n, x) => n + x.len, 0)
    expect(bytes).toBeLessThanOrEqual(4 * asked)
    expect(ctx.stats.blobsServed).toBe(10)
  })
})

describe('FaceBudget', () => {
  it('one peer gets the whole rate; active peers split it; a silent peer gives its share back', () => {
    const clock = fakeClock()
    const b = new FaceBudget({ rate: 1000, burst: 100, maxPeers: 4, activeMs: 1000 }, clock)
    let n = 0
    while (b.take('a')) n++
    expect(n).toBe(100) // the whole burst
    clock.advance(100) // refills 100 at the full rate
    n = 0
    while (b.take('a')) n++
    expect(n).toBe(100)
    clock.advance(100)
    // b arrives: two active peers, each with burst 50 and half the rate
    let nb = 0
    while (b.take('b')) nb++
    expect(nb).toBe(50)
    expect(b.active).toBe(2)
    clock.advance(2000) // a and b silent for longer than activeMs
    let na = 0
    while (b.take('a')) na++
    expect(na).toBe(100)
    expect(b.active).toBe(1)
  })

  it('shares between groups first, then between the peers of a group; a group cannot gain by churning peer ids', () => {
    const clock = fakeClock()
    const groupOf = (p: string) => p.split('#')[0]!
    const b = new FaceBudget({ rate: 1000, burst: 100, maxPeers: 64, activeMs: 1000, groupOf }, clock)
    const got = new Map<string, number>()
    const take = (p: string) => void (b.take(p) && got.set(groupOf(p), (got.get(groupOf(p)) ?? 0) + 1))
    // one host on 50 ports and one consumer, each asking for 10 frames every 10 ms, for 3 s
    for (let t = 0; t < 3000; t += 10) {
      for (let i = 0; i < 10; i++) {
        for (let k = 0; k < 50; k++) take(`evil#${k}`)
        take('consumer')
      }
      clock.advance(10)
    }
    expect(b.groups).toBe(2)
    expect(b.active).toBe(51)
    const total = (got.get('evil') ?? 0) + (got.get('consumer') ?? 0)
    expect(total).toBeLessThanOrEqual(100 + 1000 * 3 + 1) // the face's cap holds
    expect(got.get('consumer')).toBeGreaterThanOrEqual(0.45 * total) // half, not 1/51
    // the host now tries fresh ids every time (more than maxPeers of them): still one group's share
    got.clear()
    for (let t = 0, id = 0; t < 3000; t += 10) {
      for (let i = 0; i < 10; i++) {
        for (let k = 0; k < 50; k++) take(`evil#x${id++}`)
        take('consumer')
      }
      clock.advance(10)
    }
    expect(got.get('consumer')).toBeGreaterThanOrEqual(0.45 * ((got.get('evil') ?? 0) + (got.get('consumer') ?? 0)))
    expect(b.peers).toBe(64) // bounded
  })
})

describe('answers on the memory hub', () => {
  it('reach the asker only, not a bystander on the same hub', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 31, clock })
    const a = stores()
    const signer = signerFor(31)
    const fid = signer.publicKey
    await produce(a.logs, signer, 10)
    const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    await nodeA.start()
    const asker = hub.face('asker')
    const bystander = hub.face('bystander')
    const got = { asker: 0, bystander: 0 }
    asker.onFrame((f) => void (f.length === 120 && got.asker++))
    bystander.onFrame((f) => void (f.length === 120 && got.bystander++))
    // padded like a node's WANT (115 bytes pay for 345 at 3 ×; 141 pay for 3 entries and a hint)
    const want = new Uint8Array(141)
    want.set(encodeWant(wantDmx(fid), [1, 2, 3].map((seq) => ({ fid, seq }))))
    await asker.send(want)
    await runUntil(clock, () => got.asker === 3, 1000, 5)
    expect(got).toEqual({ asker: 3, bystander: 0 })
    await nodeA.stop()
  })
})
