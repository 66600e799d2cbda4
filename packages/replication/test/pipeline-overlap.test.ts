// The append pipeline with a store that syncs (AppendManyOptions.onWritten): the next batch goes to
// the store as soon as the last one is written, so its signatures are checked while the last one
// syncs; appends are still reported in order, each after its sync; a sync that hangs holds at most
// MAX_PIPELINE appends; a sync that fails (the store cuts its log back) costs a retry, never an
// entry or an event out of order.
import { entryMid, type AppendManyOptions, type AppendManyResult, type LogInfo, type LogStore } from '@tinyssb/packet'
import { StoreError } from '@tinyssb/repo'
import { fakeClock, memoryHub, type FakeClock } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { createNode, MAX_PIPELINE } from '../src/index.js'
import { produce, runUntil, signerFor, storeView, stores } from './helpers.js'

interface SyncControl {
  /** appendMany calls started, and those settled. */
  started: number
  settled: number
  /** Most calls in flight at once. */
  maxInFlight: number
  /** Each sync takes this long on the clock; undefined: syncs wait for release(). */
  syncMs: number | undefined
  release(): void
  /** The n-th sync that has something to sync (1-based) fails: what it held is cut. */
  failCall: number | undefined
}

/**
 * A store over `inner` (which holds what is synced) that writes to a pending list, reports the
 * write (onWritten), and moves everything pending into `inner` at the sync, as a group commit does.
 * A failed sync forgets what is pending (the log is cut back) and fails the calls waiting on it.
 */
function syncingStore(inner: LogStore, clock: FakeClock) {
  const ctl: SyncControl = { started: 0, settled: 0, maxInFlight: 0, syncMs: 3, release: () => undefined, failCall: undefined }
  let pending: Uint8Array[] = []
  let info0: LogInfo | undefined // the log as first read (fid, anchor)
  let written: { seq: number; mid: Uint8Array } | undefined // where the writes end
  let synced: { seq: number; mid: Uint8Array } | undefined // where the synced part ends
  let generation = 0
  let syncsRun = 0 // syncs that had something to move
  let syncs: Promise<void> = Promise.resolve() // one sync at a time, in order
  let releases: Array<() => void> = []
  ctl.release = () => {
    const r = releases
    releases = []
    for (const f of r) f()
  }
  const view: LogStore = storeView(inner, {
    async appendMany(fid, seq, wires, opts?: AppendManyOptions): Promise<AppendManyResult> {
      ++ctl.started
      ctl.maxInFlight = Math.max(ctl.maxInFlight, ctl.started - ctl.settled)
      try {
        if (!info0) {
          info0 = (await inner.info(fid))!
          written = synced = { seq: info0.frontSeq, mid: info0.frontMid }
        }
        const from = written!
        if (seq !== from.seq + 1) throw new StoreError('STORE_SEQ', `expected ${from.seq + 1}, got ${seq}`)
        let mid = from.mid
        for (let i = 0; i < wires.length; i++) mid = entryMid({ fid, seq: seq + i, prev: mid }, wires[i]!)
        pending.push(...wires)
        const end = { seq: from.seq + wires.length, mid }
        written = end
        const result: AppendManyResult = { info: { ...info0, frontSeq: end.seq, frontMid: end.mid }, appended: wires.length }
        const gen = generation
        opts?.onWritten?.(result)
        await new Promise<void>((resolve) => (ctl.syncMs === undefined ? releases.push(resolve) : clock.setTimeout(resolve, ctl.syncMs)))
        const sync = syncs.then(async () => {
          if (gen !== generation) throw new StoreError('STORE_IO', 'cut back by a failed sync')
          if (pending.length > 0 && ++syncsRun === ctl.failCall) {
            generation++
            pending = []
            written = synced
            throw new StoreError('STORE_IO', 'sync failed')
          }
          const moved = pending
          const to = written!
          pending = []
          if (moved.length > 0) await inner.appendMany!(fid, synced!.seq + 1, moved)
          synced = to
        })
        syncs = sync.catch(() => undefined)
        await sync
        return result
      } finally {
        ctl.settled++
      }
    },
  })
  return { view, ctl }
}

async function setUp(seed: number, entries: number) {
  const clock = fakeClock()
  const hub = memoryHub({ seed, clock, mtu: 1400 })
  const signer = signerFor(50 + seed)
  const fid = signer.publicKey
  const a = stores()
  await produce(a.logs, signer, entries)
  const b = stores()
  await b.logs.create(fid)
  const store = syncingStore(b.logs, clock)
  const producer = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], serveRate: 2000, serveBurst: 16 })
  const consumer = createNode({ logs: store.view, faces: [hub.face('B')], clock })
  const seen: number[] = []
  consumer.on('append', (e) => seen.push(e.seq))
  const stop = async (): Promise<void> => {
    await consumer.stop()
    await producer.stop()
    await hub.close()
  }
  return { clock, fid, producer, consumer, store, b, seen, stop }
}

describe('append pipeline with a syncing store', () => {
  it('starts the next append while the last one syncs, and reports appends in order after their syncs', async () => {
    const t = await setUp(1, 300)
    t.store.ctl.syncMs = undefined // syncs wait for release()
    await t.producer.start()
    await t.consumer.start()
    await runUntil(t.clock, () => t.store.ctl.started >= 2, 5_000, 5)
    // a second append started while the first still waits for its sync: nothing reported yet
    expect(t.store.ctl.started).toBeGreaterThanOrEqual(2)
    expect(t.store.ctl.settled).toBe(0)
    expect(t.seen).toEqual([])
    expect(t.consumer.front(t.fid)).toBe(0) // front() counts what is synced
    t.store.ctl.syncMs = 3
    t.store.ctl.release()
    expect(await runUntil(t.clock, () => t.consumer.front(t.fid) === 300, 60_000, 5)).toBe(true)
    expect(t.seen).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    expect((await t.b.logs.info(t.fid))!.frontSeq).toBe(300)
    await t.stop()
  })

  it('holds at most MAX_PIPELINE appends while a sync hangs, and goes on when it returns', async () => {
    const t = await setUp(2, 600)
    t.store.ctl.syncMs = undefined
    await t.producer.start()
    await t.consumer.start()
    await runUntil(t.clock, () => false, 5_000, 5)
    expect(t.store.ctl.started).toBe(MAX_PIPELINE)
    expect(t.store.ctl.settled).toBe(0)
    // the receive loop waits meanwhile (the inbox is bounded): nothing more is taken
    expect(t.store.ctl.started).toBe(MAX_PIPELINE)
    t.store.ctl.syncMs = 3
    t.store.ctl.release()
    expect(await runUntil(t.clock, () => t.consumer.front(t.fid) === 600, 60_000, 5)).toBe(true)
    expect(t.store.ctl.maxInFlight).toBeLessThanOrEqual(MAX_PIPELINE)
    expect(t.seen).toEqual(Array.from({ length: 600 }, (_, i) => i + 1))
    await t.stop()
  })

  it.each([1, 2, 3])('a failed sync (the %i. one) loses no entry: the replica starts again from what was synced', async (failCall) => {
    const t = await setUp(3 + failCall, 400)
    t.store.ctl.failCall = failCall
    await t.producer.start()
    await t.consumer.start()
    expect(await runUntil(t.clock, () => t.consumer.front(t.fid) === 400, 60_000, 5)).toBe(true)
    expect(t.consumer.stats.dropped.STORE_IO).toBeGreaterThanOrEqual(1)
    // every entry reported once, in order, though some were written twice
    expect(t.seen).toEqual(Array.from({ length: 400 }, (_, i) => i + 1))
    expect((await t.b.logs.info(t.fid))!.frontSeq).toBe(400)
    await t.stop()
  })
})
