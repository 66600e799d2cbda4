// Trying to break the overlapping append pipeline (AppendManyOptions.onWritten) with a REAL durable
// file store: long catch-ups, forged entries injected while a batch syncs and the next one is
// checked, a store that refuses or fails at random calls, a node stopped while appends are in
// flight, and many replicas appending at once. Invariants everywhere: every entry appended once,
// 'append' events strictly 1..N per feed, never an event for a refused entry, front() never ahead
// of what the store reports as synced, the log file verifies.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mulberry32, type Random } from '@tinyssb/core'
import { entryMid, nextDmx, toHex, type AppendManyOptions, type Entry, type LogStore } from '@tinyssb/packet'
import { fsLogStore, StoreError, type FsLogStore } from '@tinyssb/repo'
import { fakeClock, memoryHub, type FakeClock } from '@tinyssb/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { createNode, MAX_PIPELINE, type NodeEvents } from '../src/index.js'
import { flush, produce, scheme, signerFor, storeView, stores } from './helpers.js'

const BASE_SEED = Number(process.env.TINYSSB_TEST_SEED ?? 0) | 0

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function durableStore(): Promise<{ dir: string; logs: FsLogStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-overlap-'))
  dirs.push(dir)
  return { dir, logs: await fsLogStore({ dir, verifier: scheme, createIfMissing: true, durable: true }) }
}

/** Each test does real file I/O: a bound well above its few seconds. */
const TIMEOUT_MS = 30_000

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Advances the fake clock in steps until `cond` holds, letting real time pass too (a real
 * fdatasync takes real ms); bounded by `maxSteps`. `tick` runs once per step (an attacker).
 */
async function drive(clock: FakeClock, cond: () => boolean, maxSteps = 3000, tick?: () => void): Promise<boolean> {
  for (let i = 0; i < maxSteps; i++) {
    await flush()
    if (cond()) return true
    tick?.()
    clock.advance(5)
    if (i % 3 === 0) await sleep(1)
  }
  await flush()
  return cond()
}

type AppendEvent = NodeEvents['append']

/** Records a consumer's append events of one feed, and checks front() against the store as each fires. */
function watch(node: ReturnType<typeof createNode>, logs: LogStore, fid: Uint8Array) {
  const seen: AppendEvent[] = []
  const checks: Array<Promise<string | undefined>> = []
  const hex = toHex(fid)
  node.on('append', (e) => {
    if (toHex(e.fid) !== hex) return
    seen.push(e)
    const front = node.front(fid) ?? 0
    const seq = e.seq
    // info() reads the synced front synchronously at the call; compared later
    checks.push(
      logs.info(fid).then((info) => {
        const synced = info?.frontSeq ?? 0
        if (front > synced) return `front ${front} ahead of synced ${synced} at event ${seq}`
        if (seq > synced) return `event ${seq} before its sync (synced ${synced})`
        return undefined
      }),
    )
  })
  return {
    seen,
    /** The problems found by the front-vs-synced checks. */
    problems: async () => (await Promise.all(checks)).filter((x): x is string => x !== undefined),
  }
}

function expectInOrder(seen: readonly AppendEvent[], produced: readonly Entry[]): void {
  expect(seen.map((e) => e.seq)).toEqual(produced.map((_, i) => i + 1))
  // never an event for an entry that is not the producer's (a refused one)
  for (const e of seen) expect(toHex(e.wire ?? new Uint8Array(0))).toBe(toHex(produced[e.seq - 1]!.wire))
}

async function expectSameLog(logs: FsLogStore, fid: Uint8Array, produced: readonly Entry[]): Promise<void> {
  const check = await logs.verify(fid)
  expect(check.ok).toBe(true)
  expect((await logs.info(fid))!.frontSeq).toBe(produced.length)
  let i = 0
  for await (const e of logs.entries(fid)) {
    expect(toHex(e.wire)).toBe(toHex(produced[i]!.wire))
    i++
  }
  expect(i).toBe(produced.length)
}

/**
 * A view of `inner` counting appendMany calls in flight; `fail` may refuse a call before it reaches
 * the store (told whether it is the only call in flight).
 */
function counted(inner: FsLogStore, fail?: (alone: boolean) => StoreError | undefined) {
  const ctl = {
    started: 0,
    settled: 0,
    maxInFlight: 0,
    injected: 0,
    /** Writes reported with an error (a refused entry) while an earlier call still synced. */
    refusedInOverlap: 0,
  }
  const view: LogStore = storeView(inner, {
    async append(fid, seq, wire) {
      const err = fail?.(ctl.started === ctl.settled)
      if (err) {
        ctl.injected++
        throw err
      }
      return inner.append(fid, seq, wire)
    },
    async appendMany(fid, seq, wires, opts?: AppendManyOptions) {
      ctl.started++
      ctl.maxInFlight = Math.max(ctl.maxInFlight, ctl.started - ctl.settled)
      try {
        const err = fail?.(ctl.started - ctl.settled === 1)
        if (err) {
          ctl.injected++
          throw err
        }
        const onWritten = opts?.onWritten
        const watched: AppendManyOptions | undefined = onWritten && {
          onWritten(res) {
            if (res.error !== undefined && ctl.started - ctl.settled > 1) ctl.refusedInOverlap++
            onWritten(res)
          },
        }
        return await inner.appendMany!(fid, seq, wires, watched)
      } finally {
        ctl.settled++
      }
    },
  })
  return { view, ctl }
}

async function setUp(seed: number, entries: number, logs: (fs: FsLogStore) => LogStore = (fs) => fs) {
  const clock = fakeClock()
  const hub = memoryHub({ seed, clock, mtu: 1400 })
  const signer = signerFor(60 + (seed % 30))
  const fid = signer.publicKey
  const a = stores()
  const produced = await produce(a.logs, signer, entries)
  const b = await durableStore()
  await b.logs.create(fid)
  const view = logs(b.logs)
  const producer = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], serveRate: 2000, serveBurst: 16, random: mulberry32(seed) })
  const consumer = createNode({ logs: view, faces: [hub.face('B')], clock, random: mulberry32(seed + 1) })
  const w = watch(consumer, b.logs, fid)
  const stop = async (): Promise<void> => {
    await consumer.stop()
    await producer.stop()
    await hub.close()
    await consumer.idle()
    await b.logs.close()
  }
  return { clock, hub, fid, produced, producer, consumer, b, view, w, stop }
}

/** The consumer reported every entry once, in order, with no problem seen, and its log is the producer's; then stops. */
async function expectWholeLogAndStop(t: Awaited<ReturnType<typeof setUp>>): Promise<void> {
  expectInOrder(t.w.seen, t.produced)
  expect(await t.w.problems()).toEqual([])
  await expectSameLog(t.b.logs, t.fid, t.produced)
  await t.stop()
}

describe('overlapping append pipeline over a real durable fs store', () => {
  it.each([1, 2])('catches up 1200 entries: each once, events 1..N in order, front never ahead of the sync (seed %i)', async (s) => {
    const seed = 1000 * BASE_SEED + s
    let c!: ReturnType<typeof counted>
    const t = await setUp(seed, 1200, (fs) => (c = counted(fs)).view)
    await t.producer.start()
    await t.consumer.start()
    expect(await drive(t.clock, () => t.consumer.front(t.fid) === 1200)).toBe(true)
    await t.consumer.idle()
    expect(c.ctl.started).toBe(c.ctl.settled)
    // appends overlapped (the next started while the last synced), never more than MAX_PIPELINE
    expect(c.ctl.maxInFlight).toBeGreaterThan(1)
    expect(c.ctl.maxInFlight).toBeLessThanOrEqual(MAX_PIPELINE)
    expect(t.consumer.stats.appended).toBe(1200)
    await expectWholeLogAndStop(t)
  }, TIMEOUT_MS)

  it.each([1, 2, 3])('a hostile peer injects forged entries and forged chains mid-stream: the replica ends with exactly the producer log (seed %i)', async (s) => {
    const seed = 1000 * BASE_SEED + 10 + s
    const N = 800
    let c!: ReturnType<typeof counted>
    const t = await setUp(seed, N, (fs) => (c = counted(fs)).view)
    const rand: Random = mulberry32(seed * 7919)
    const evil = t.hub.face('evil')
    const real = t.produced
    /** A forged entry at `seq` (1-based) after `prev` (its DMX fits), then `more` forged ones chained after it. */
    const forgedChain = (seq: number, more: number): Uint8Array[] => {
      const out: Uint8Array[] = []
      let prev = seq === 1 ? t.fid.slice(0, 20) : real[seq - 2]!.mid
      for (let k = 0; k <= more && seq + k <= N; k++) {
        const s1 = seq + k
        const w = real[s1 - 1]!.wire.slice()
        if (k > 0) w.set(nextDmx(t.fid, s1 - 1, prev), 0) // continues the forged chain
        w[20]! ^= 1 + Math.floor(rand() * 255) // payload changed: the signature no longer fits
        if (rand() < 0.3) w[100]! ^= 0x40 // or the signature itself
        prev = entryMid({ fid: t.fid, seq: s1, prev }, w)
        out.push(w)
      }
      return out
    }
    let injected = 0
    const attack = (): void => {
      // the replica's next entries (the front lags the tail while syncs run): some right at the
      // armed DMX, some parked ahead where the chain follow may pick them up
      const front = t.consumer.front(t.fid) ?? 0
      if (front >= N || rand() < 0.4) return
      const at = front + 1 + Math.floor(rand() * 40)
      if (at > N) return
      for (const w of forgedChain(at, Math.floor(rand() * 4))) {
        injected++
        void evil.send(w)
      }
    }
    t.consumer.on('append', () => {
      if (rand() < 0.2) attack()
    })
    await t.producer.start()
    await t.consumer.start()
    expect(await drive(t.clock, () => t.consumer.front(t.fid) === N, 4000, attack)).toBe(true)
    await t.consumer.idle()
    expect(injected).toBeGreaterThan(0)
    expect(t.consumer.stats.dropped.PACKET_SIGNATURE ?? 0).toBeGreaterThan(0)
    // some batches were refused while an earlier write still synced (the overlap was active)
    expect(c.ctl.refusedInOverlap).toBeGreaterThan(0)
    expect(c.ctl.maxInFlight).toBeLessThanOrEqual(MAX_PIPELINE)
    await expectWholeLogAndStop(t)
  }, TIMEOUT_MS)

  it.each([1, 2, 3])('the store refuses (STORE_SEQ) or fails (STORE_IO) at random calls: no entry lost, none reported twice (seed %i)', async (s) => {
    const seed = 1000 * BASE_SEED + 20 + s
    const N = 600
    const rand = mulberry32(seed * 104729)
    // calls fail alone or while an earlier append still syncs (the latter once made the appender
    // loop without yielding: pipeline-failed-append.test.ts)
    let overlapped = 0
    const fail = (alone: boolean): StoreError | undefined => {
      const x = rand()
      if (!alone && x < 0.18) overlapped++
      if (x < 0.1) return new StoreError('STORE_IO', 'injected: write failed')
      if (x < 0.18) return new StoreError('STORE_SEQ', 'injected: the log moved')
      return undefined
    }
    let c!: ReturnType<typeof counted>
    const t = await setUp(seed, N, (fs) => (c = counted(fs, fail)).view)
    await t.producer.start()
    await t.consumer.start()
    // every failure costs a retry (up to ~70 of them per run): up to 60 s of virtual time
    expect(await drive(t.clock, () => t.consumer.front(t.fid) === N, 12_000)).toBe(true)
    await t.consumer.idle()
    expect(c.ctl.injected).toBeGreaterThan(0)
    expect(overlapped).toBeGreaterThan(0) // some failed while an earlier append still synced
    const drops = t.consumer.stats.dropped
    expect((drops.STORE_IO ?? 0) + (drops.STORE_SEQ ?? 0)).toBeGreaterThan(0)
    expect(t.consumer.stats.appended).toBe(N)
    await expectWholeLogAndStop(t)
  }, TIMEOUT_MS)

  it('stop() while appends are in flight: stop and idle() resolve, no unhandled rejection, a new node resumes from the log', async () => {
    const seed = 1000 * BASE_SEED + 31
    const N = 1200
    const rejections: unknown[] = []
    const onRejection = (err: unknown): void => {
      rejections.push(err)
    }
    process.on('unhandledRejection', onRejection)
    try {
      let c!: ReturnType<typeof counted>
      const t = await setUp(seed, N, (fs) => (c = counted(fs)).view)
      await t.producer.start()
      await t.consumer.start()
      // stop with an append writing or syncing, some entries already reported
      expect(await drive(t.clock, () => (t.consumer.front(t.fid) ?? 0) > 100 && c.ctl.started > c.ctl.settled)).toBe(true)
      const inFlight = c.ctl.started - c.ctl.settled
      expect(inFlight).toBeGreaterThan(0)
      await t.consumer.stop()
      const idle = await Promise.race([t.consumer.idle().then(() => true), sleep(3000).then(() => false)])
      expect(idle).toBe(true)
      expect(c.ctl.started).toBe(c.ctl.settled)
      const frontAtStop = t.consumer.front(t.fid) ?? 0
      expect(frontAtStop).toBeLessThan(N)
      // what was reported is a prefix, in order, and synced
      expectInOrder(t.w.seen, t.produced.slice(0, t.w.seen.length))
      expect(await t.w.problems()).toEqual([])
      const info = (await t.b.logs.info(t.fid))!
      expect(info.frontSeq).toBeGreaterThanOrEqual(frontAtStop)
      expect((await t.b.logs.verify(t.fid)).ok).toBe(true)
      // a new consumer node on the same store picks up from there
      const again = createNode({ logs: t.b.logs, faces: [t.hub.face('B2')], clock: t.clock, random: mulberry32(seed + 2) })
      const w2 = watch(again, t.b.logs, t.fid)
      await again.start()
      expect(await drive(t.clock, () => again.front(t.fid) === N)).toBe(true)
      await again.idle()
      expect(w2.seen.map((e) => e.seq)).toEqual(Array.from({ length: N - info.frontSeq }, (_, i) => info.frontSeq + 1 + i))
      expect(await w2.problems()).toEqual([])
      await again.stop()
      await expectSameLog(t.b.logs, t.fid, t.produced)
      await t.stop()
      await flush()
      expect(rejections).toEqual([])
    } finally {
      process.off('unhandledRejection', onRejection)
    }
  }, TIMEOUT_MS)

  it('20 feeds at once, tracked and followed, appending in overlap into one durable store', async () => {
    const seed = 1000 * BASE_SEED + 41
    const FEEDS = 20
    const N = 120
    const clock = fakeClock()
    const hub = memoryHub({ seed, clock, mtu: 1400 })
    const a = stores()
    const feeds: Array<{ fid: Uint8Array; produced: Entry[] }> = []
    for (let i = 0; i < FEEDS; i++) {
      const signer = signerFor(100 + i)
      feeds.push({ fid: signer.publicKey, produced: await produce(a.logs, signer, N) })
    }
    const b = await durableStore()
    // half the logs exist when the node starts (followed); the other half are tracked while it runs
    for (const f of feeds.slice(0, FEEDS / 2)) await b.logs.create(f.fid)
    const producer = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: feeds.map((f) => f.fid), serveRate: 4000, serveBurst: 32, random: mulberry32(seed) })
    const consumer = createNode({ logs: b.logs, faces: [hub.face('B')], clock, random: mulberry32(seed + 1) })
    const watches = feeds.map((f) => watch(consumer, b.logs, f.fid))
    await producer.start()
    await consumer.start()
    await drive(clock, () => false, 20)
    for (const f of feeds.slice(FEEDS / 2)) {
      await b.logs.create(f.fid)
      await consumer.track(f.fid)
    }
    expect(await drive(clock, () => feeds.every((f) => consumer.front(f.fid) === N), 4000)).toBe(true)
    await consumer.idle()
    for (let i = 0; i < FEEDS; i++) {
      expectInOrder(watches[i]!.seen, feeds[i]!.produced)
      expect(await watches[i]!.problems()).toEqual([])
    }
    expect(consumer.stats.appended).toBe(FEEDS * N)
    for (const f of feeds) await expectSameLog(b.logs, f.fid, f.produced)
    await consumer.stop()
    await producer.stop()
    await hub.close()
    await b.logs.close()
  }, TIMEOUT_MS)
})
