// Regression: a later appendMany that failed while an earlier one still waited for its sync left
// the appender looping on microtasks (its `last` settled before the earlier append did, so it
// awaited a settled promise forever and the event loop never ran the sync's callback: the node
// hung at 100 % CPU). Found by the adversarial tests (pipeline-overlap-adversarial.test.ts); the
// appender's `last` now settles only after every append before it.
import type { AppendManyOptions, LogStore } from '@tinyssb/packet'
import { StoreError } from '@tinyssb/repo'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { expect, it } from 'vitest'
import { createNode } from '../src/index.js'
import { produce, runUntil, signerFor, storeView, stores } from './helpers.js'

it('a later append that fails while an earlier one syncs does not hang the node', async () => {
  const clock = fakeClock()
  const hub = memoryHub({ seed: 1, clock, mtu: 1400 })
  const signer = signerFor(7)
  const fid = signer.publicKey
  const a = stores()
  await produce(a.logs, signer, 50)
  const b = stores()
  await b.logs.create(fid)
  let calls = 0
  let releaseSync!: () => void
  const sync = new Promise<void>((r) => (releaseSync = r))
  const inner = b.logs
  const view: LogStore = storeView(inner, {
    // call 1: written, reported (onWritten), then its "sync" waits for a real timer (a macrotask,
    // as node:fs fdatasync's callback is); call 2: refused at once, as the contract allows
    async appendMany(f, seq, wires, opts?: AppendManyOptions) {
      const n = ++calls
      if (n === 2) throw new StoreError('STORE_IO', 'write failed')
      const res = await inner.appendMany!(f, seq, wires)
      if (n === 1) {
        opts?.onWritten?.(res)
        setTimeout(releaseSync, 20) // real ms: the sync completes on the event loop
        await sync
      }
      return res
    },
  })
  const producer = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], serveRate: 2000, serveBurst: 16 })
  const consumer = createNode({ logs: view, faces: [hub.face('B')], clock })
  await producer.start()
  await consumer.start()
  // with the bug this never returned: the timer that ends call 1's sync never ran
  expect(await runUntil(clock, () => consumer.front(fid) === 50, 30_000, 5)).toBe(true)
  expect(calls).toBeGreaterThanOrEqual(2)
  await consumer.stop()
  await producer.stop()
  await hub.close()
})
