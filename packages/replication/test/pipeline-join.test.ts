// The append pipeline while the store is slow (a durable store syncs each write): answers that
// arrive in order, one by one, join the last batch not handed to the store yet, so the receive
// loop does not stall behind MAX_PIPELINE one-entry batches and the next write takes them all.
import type { LogStore } from '@tinyssb/packet'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { createNode, MAX_CHAIN_BATCH, MAX_PIPELINE } from '../src/index.js'
import { produce, runUntil, signerFor, storeView, stores } from './helpers.js'

/** `logs` whose appendMany waits for `open()`; the entries of each call are recorded. */
function gated(logs: LogStore) {
  const calls: number[] = []
  let open!: () => void
  const gate = new Promise<void>((r) => (open = r))
  const view: LogStore = storeView(logs, {
    async appendMany(fid, seq, wires) {
      calls.push(wires.length)
      await gate
      return logs.appendMany!(fid, seq, wires)
    },
  })
  return { view, calls, open: () => open() }
}

describe('append pipeline', () => {
  it('answers that continue the last waiting batch join it while the store writes: one write takes them', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 3, clock, mtu: 1400 })
    const signer = signerFor(40)
    const fid = signer.publicKey
    const a = stores()
    await produce(a.logs, signer, 100)
    const b = stores()
    await b.logs.create(fid)
    const store = gated(b.logs)
    // about one answer per ms: they arrive a few at a time, in order
    const producer = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], serveRate: 1000, serveBurst: 8 })
    const consumer = createNode({ logs: store.view, faces: [hub.face('B')], clock })
    await producer.start()
    await consumer.start()
    // every answer arrives while the first write waits
    await runUntil(clock, () => false, 2_000, 5)
    expect(store.calls.length).toBe(1)
    expect(consumer.queues().inbox).toBe(0) // nothing stalled in the receive loop
    store.open()
    expect(await runUntil(clock, () => consumer.front(fid) === 100, 30_000, 5)).toBe(true)
    // the first entry, then the other 99 in one write (they formed at most MAX_PIPELINE batches
    // of MAX_CHAIN_BATCH); one entry per batch would have stopped the loop after MAX_PIPELINE
    expect(MAX_PIPELINE * MAX_CHAIN_BATCH).toBeGreaterThanOrEqual(99)
    expect(store.calls.length).toBeLessThanOrEqual(3)
    expect(store.calls.reduce((x, y) => x + y, 0)).toBe(100)
    await consumer.stop()
    await producer.stop()
  })
})
