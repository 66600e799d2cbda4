// The frame router alone: inbox, DMX table, parking lot and blob table, on a fake clock.
import { fakeClock, type Face } from '@tinyssb/core'
import { blobPointer } from '@tinyssb/packet'
import { memoryBlobStore, memoryLogStore } from '@tinyssb/repo'
import { describe, expect, it } from 'vitest'
import { createContext } from '../src/context.js'
import { bkey } from '../src/keys.js'
import { FrameRouter } from '../src/router.js'
import { scheme } from './helpers.js'

function fixture(limits = {}) {
  const clock = fakeClock()
  const blobs = memoryBlobStore()
  const ctx = createContext({ logs: memoryLogStore({ verifier: scheme }), blobs, clock })
  const router = new FrameRouter(ctx, limits)
  router.running = true
  const face: Face = { name: 'f', mtu: 1400, send: async () => {}, onFrame: () => () => {}, close: async () => {} }
  const drops: Array<{ reason: string; peer?: string }> = []
  ctx.events.on('drop', (d) => drops.push({ reason: d.reason, ...(d.peer ? { peer: d.peer } : {}) }))
  return { clock, ctx, router, face, drops, blobs }
}

/** A frame of `len` bytes starting with the 7-byte DMX `d` (all bytes `d`). */
const frame = (d: number, len = 120, tail = 0) => {
  const f = new Uint8Array(len).fill(tail)
  f.fill(d, 0, 7)
  return f
}
const dmxKey = (d: number) => bkey(new Uint8Array(7).fill(d))

describe('frame router', () => {
  it('processes frames soon (on a clock task), in arrival order, with the face and peer they came from', async () => {
    const { clock, router, face } = fixture()
    const got: string[] = []
    router.on(dmxKey(1), (f, src) => void got.push(`${f[7]}:${src.face.name}:${src.peer}`))
    router.receive(frame(1, 120, 5), face, 'p1')
    router.receive(frame(1, 43, 6), face, 'p2')
    await Promise.resolve()
    expect(got).toEqual([]) // not before the clock runs its task
    clock.advance(0)
    await router.idle()
    expect(got).toEqual(['5:f:p1', '6:f:p2'])
  })

  it('keeps one copy of a frame that matches nothing: a duplicate is dropped (DUPLICATE), another frame of the DMX is kept', async () => {
    const { clock, router, face, drops } = fixture()
    router.receive(frame(2, 120, 1), face, 'p')
    router.receive(frame(2, 120, 1), face, 'p') // the same bytes again
    router.receive(frame(2, 120, 9), face, 'p') // the same DMX, other bytes
    clock.advance(0)
    await router.idle()
    expect(router.queues().parked).toBe(2)
    expect(drops).toEqual([{ reason: 'DUPLICATE', peer: 'p' }])
    // a later duplicate, in a batch of its own, too
    router.receive(frame(2, 120, 9), face, 'q')
    clock.advance(0)
    await router.idle()
    expect(router.queues().parked).toBe(2)
    expect(drops.at(-1)).toEqual({ reason: 'DUPLICATE', peer: 'q' })
  })

  it('parks 120-byte frames that match nothing (a later expectation takes them); drops the rest as NO_DMX', async () => {
    const { clock, router, face, drops } = fixture()
    router.receive(frame(2), face, 'p')
    router.receive(frame(3, 60), face, 'q')
    router.receive(frame(4, 3), face, 'r')
    clock.advance(0)
    await router.idle()
    expect(router.queues().parked).toBe(1)
    expect(drops).toEqual([
      { reason: 'NO_DMX', peer: 'q' },
      { reason: 'SHORT', peer: 'r' },
    ])
    expect(router.unpark(dmxKey(2))?.peer).toBe('p')
    expect(router.queues().parked).toBe(0)
  })

  it('a frame parked in the same batch as the expectation for it is dispatched in order', async () => {
    const { clock, router, face } = fixture()
    const got: number[] = []
    router.on(dmxKey(1), () => {
      got.push(1)
      router.on(dmxKey(2), () => void got.push(2))
    })
    router.receive(frame(2), face, 'p') // arrives first, matches nothing yet: parked
    router.receive(frame(1), face, 'p')
    clock.advance(0)
    await router.idle()
    // frame 2 was parked before frame 1 armed its DMX and is taken out by the batch loop only in
    // its own turn, which came first: it stays parked for the next expectation to take
    expect(got).toEqual([1])
    expect(router.unpark(dmxKey(2))).toBeDefined()
  })

  it('the inbox is bounded: frames beyond it are dropped as INBOX_FULL, counted on the node and the face', async () => {
    const { clock, ctx, router, face, drops } = fixture({ maxInbox: 4 })
    let handled = 0
    router.on(dmxKey(1), () => void handled++)
    for (let i = 0; i < 10; i++) router.receive(frame(1), face, `p${i}`)
    expect(router.queues().inbox).toBe(4)
    expect(drops.map((d) => d.peer)).toEqual(['p4', 'p5', 'p6', 'p7', 'p8', 'p9'])
    expect(ctx.stats.dropped.INBOX_FULL).toBe(6)
    expect(ctx.stats.faces.f!.dropped.INBOX_FULL).toBe(6)
    expect(ctx.stats.framesIn).toBe(10)
    clock.advance(0)
    await router.idle()
    expect(handled).toBe(4)
    expect(router.queues().inbox).toBe(0)
  })

  it('the inbox is shared: a flooding source leaves room for the others', async () => {
    const { clock, router, face, ctx } = fixture({ maxInbox: 12 })
    const from: string[] = []
    router.on(dmxKey(1), (_f, src) => void from.push(src.peer))
    for (let i = 0; i < 20; i++) router.receive(frame(1), face, 'flood')
    expect(router.queues().inbox).toBe(6) // alone, a source takes at most half
    for (let i = 0; i < 3; i++) router.receive(frame(1), face, 'consumer')
    router.receive(frame(1), face, 'flood')
    expect(router.queues().inbox).toBe(9)
    expect(ctx.stats.dropped.INBOX_FULL).toBe(15)
    clock.advance(0)
    await router.idle()
    expect(from.filter((p) => p === 'consumer').length).toBe(3)
    // the share is counted per batch: once drained, the source may fill its share again
    for (let i = 0; i < 20; i++) router.receive(frame(1), face, 'flood')
    expect(router.queues().inbox).toBe(6)
  })

  it('the inbox is shared by groups too: a host flooding from many ports leaves room for another host', async () => {
    const { router, ctx } = fixture({ maxInbox: 60 })
    const face: Face = { name: 'g', mtu: 1400, send: async () => {}, onFrame: () => () => {}, close: async () => {}, peerGroup: (p) => p.split('#')[0]! }
    for (let round = 0; round < 5; round++) for (let i = 0; i < 20; i++) router.receive(frame(1), face, `evil#${i}`)
    // the host, alone, takes at most half whatever its ports (30, split evenly: 1 frame per port)
    expect(router.queues().inbox).toBe(20)
    for (let i = 0; i < 10; i++) router.receive(frame(1), face, 'consumer')
    expect(router.queues().inbox).toBe(30) // the consumer's 10 frames got in
    expect(ctx.stats.dropped.INBOX_FULL).toBe(80)
  })

  it('the parking lot is bounded: an evicted frame counts as NO_DMX', async () => {
    const { clock, router, face, drops } = fixture({ parkingSlots: 2 })
    for (let i = 0; i < 3; i++) router.receive(frame(10 + i), face, `p${i}`)
    clock.advance(0)
    await router.idle()
    expect(router.queues().parked).toBe(2)
    expect(drops).toEqual([{ reason: 'NO_DMX', peer: 'p0' }])
  })

  it('garbage from a suspect source cannot evict the parked frames of a useful one', async () => {
    const { clock, router, face, drops } = fixture({ parkingSlots: 8 })
    router.vouch({ face, peer: 'producer' })
    for (let i = 0; i < 4; i++) router.receive(frame(100 + i), face, 'producer') // early answers
    for (let i = 0; i < 200; i++) router.receive(frame(i % 90), face, 'fuzzer')
    clock.advance(0)
    await router.idle()
    expect(drops.length).toBeGreaterThan(150) // garbage pushed out garbage only
    expect(drops.every((d) => d.peer === 'fuzzer')).toBe(true)
    for (let i = 0; i < 4; i++) expect(router.unpark(dmxKey(100 + i))?.peer).toBe('producer')
  })

  it('a stopped router counts frames and ignores them', async () => {
    const { clock, ctx, router, face } = fixture()
    let handled = 0
    router.on(dmxKey(1), () => void handled++)
    router.running = false
    router.receive(frame(1), face, 'p')
    clock.advance(10)
    await router.idle()
    expect(handled).toBe(0)
    expect(ctx.stats.framesIn).toBe(1)
    expect(clock.pending()).toBe(0)
  })

  it('catches an expected blob by hash, also one that arrived before the expectation', async () => {
    const { clock, router, face, blobs } = fixture()
    const early = frame(20) // zero tail: the last blob of its chain
    const late = frame(21)
    router.receive(early, face, 'p')
    clock.advance(0)
    await router.idle()
    expect(router.queues().parked).toBe(1)
    await router.blobs.expect(blobPointer(early)) // found in the parking lot
    await router.blobs.expect(blobPointer(late))
    expect(router.queues()).toMatchObject({ parked: 0, expectedBlobs: 1 })
    router.receive(late, face, 'p')
    clock.advance(0)
    await router.idle()
    expect(await blobs.has(blobPointer(early))).toBe(true)
    expect(await blobs.has(blobPointer(late))).toBe(true)
    expect(router.queues().expectedBlobs).toBe(0)
  })

  it('a handler that throws a coded error counts a drop by that code', async () => {
    const { clock, router, face, drops } = fixture()
    router.on(dmxKey(1), () => {
      throw Object.assign(new Error('bad'), { code: 'PACKET_SIGNATURE' })
    })
    router.on(dmxKey(2), () => {
      throw new Error('no code')
    })
    router.receive(frame(1), face, 'p')
    router.receive(frame(2), face, 'q')
    clock.advance(0)
    await router.idle()
    expect(drops).toEqual([
      { reason: 'PACKET_SIGNATURE', peer: 'p' },
      { reason: 'ERROR', peer: 'q' },
    ])
  })
})
