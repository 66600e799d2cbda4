// parallelEd25519: verifyMany on worker threads gives exactly the verdicts of verify(), and
// always answers, whatever happens to its workers.
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { fakeClock } from '@tinyssb/core'
import { afterAll, describe, expect, it } from 'vitest'
// the pool loads dist/verify-worker.js, so this test uses the built files
import { DEFAULT_CALLER_SHARE, DEFAULT_TIMEOUT_MS, DEFAULT_TIMEOUT_PER_ITEM_MS, nodeEd25519, parallelEd25519, type ParallelVerifierOptions } from '../dist/ed25519-node.js'
import { loadVectors, verifyItemsOf, type EntryRow } from './vectors.js'

const pool = parallelEd25519({ threads: 2 })
afterAll(() => pool.close())

const packets = loadVectors('packets.json') as { entries: EntryRow[] }
const negative = loadVectors('negative.json') as { cases: EntryRow[] }
/** Vector entries and negative cases as verify items, valid and invalid mixed. */
const items = verifyItemsOf([...packets.entries, ...negative.cases, ...negative.cases, ...packets.entries])
const expected = items.map((it) => nodeEd25519.verify(it.sig, it.msg, it.publicKey))

describe('parallelEd25519', () => {
  it('verifyMany agrees with verify on every vector entry and every negative case', async () => {
    expect(expected.filter(Boolean).length).toBeGreaterThan(20)
    expect(expected.filter((x) => !x).length).toBeGreaterThan(20)
    expect(await pool.verifyMany(items)).toEqual(expected)
    expect(await pool.verifyMany(items.slice(0, 3))).toEqual(expected.slice(0, 3)) // small: this thread
    expect(await pool.verifyMany([])).toEqual([])
  })

  it('checks with libsodium by default here (on this thread and in the workers), node:crypto when asked', async () => {
    const posted: unknown[] = []
    const spy = (url: URL) => {
      const w = new Worker(url)
      const post = w.postMessage.bind(w)
      w.postMessage = (m: { backend?: unknown }, transfer?: Parameters<Worker['postMessage']>[1]) => {
        posted.push(m.backend)
        post(m, transfer)
      }
      return w
    }
    const auto = parallelEd25519({ threads: 1, spawn: spy })
    const forced = parallelEd25519({ threads: 1, spawn: spy, backend: 'node-crypto' })
    expect([auto.backend, forced.backend]).toEqual(['sodium', 'node-crypto'])
    expect(await auto.verifyMany(items)).toEqual(expected)
    expect(await forced.verifyMany(items)).toEqual(expected)
    expect(posted).toEqual(['sodium', 'node-crypto'])
    await Promise.all([auto.close(), forced.close()])
  })

  it('wrong-length items verify false instead of throwing', async () => {
    const items = Array.from({ length: 10 }, () => ({ sig: new Uint8Array(63), msg: new Uint8Array(5), publicKey: new Uint8Array(32) }))
    expect(await pool.verifyMany(items)).toEqual(items.map(() => false))
  })

  it('after close() it still answers, on the calling thread', async () => {
    const p = parallelEd25519({ threads: 1 })
    await p.close()
    const items = Array.from({ length: 10 }, () => ({ sig: new Uint8Array(64), msg: new Uint8Array(1), publicKey: new Uint8Array(32) }))
    expect(await p.verifyMany(items)).toEqual(items.map(() => false))
  })
})

// Workers that fail. Each is started by the pool through its `spawn` option.
const SILENT = "require('node:worker_threads').parentPort.on('message', () => {})"
const EXITS = "require('node:worker_threads').parentPort.on('message', () => process.exit(3))"
const THROWS = "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom') })"
const HANGS = "require('node:worker_threads').parentPort.on('message', () => { for (;;) {} })"
const GARBLES = "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, ok: new Uint8Array(1) }))"

/**
 * A pool whose first `bad` workers run `src`, the later ones the real worker; counts real answers.
 * This thread checks no share of each batch unless `opts.callerShare` says so.
 */
function faultyPool(src: string, bad: number, threads = 2, opts: ParallelVerifierOptions = {}) {
  const spawned: Worker[] = []
  let answers = 0
  const pool = parallelEd25519({
    callerShare: 0,
    ...opts,
    threads,
    spawn: (url) => {
      const w = spawned.length < bad ? new Worker(src, { eval: true }) : new Worker(url)
      if (spawned.length >= bad) w.on('message', () => answers++)
      spawned.push(w)
      return w
    },
  })
  return { pool, spawned, answers: () => answers }
}

describe('parallelEd25519 with failing workers: every batch is answered, dead workers are replaced', () => {
  it('a worker terminated mid-batch: its share is checked on this thread; the next batch gets a new worker', async () => {
    const { pool, spawned, answers } = faultyPool(SILENT, 1, 1)
    const pending = pool.verifyMany(items) // half of it sits in a worker that never answers
    expect(spawned).toHaveLength(1)
    await spawned[0]!.terminate()
    expect(await pending).toEqual(expected)
    expect(await pool.verifyMany(items)).toEqual(expected)
    expect(spawned).toHaveLength(2) // replaced
    expect(answers()).toBe(1) // and the new worker answered its share
    await pool.close()
  })

  it.each([
    ['exits (process.exit)', EXITS],
    ['throws (an error event)', THROWS],
    ['answers garbage', GARBLES],
  ])('a worker that %s while holding batches', async (_label, src) => {
    const { pool, spawned, answers } = faultyPool(src, 2)
    const batches = [items, items.slice(10), items.slice(0, 40), items.slice(7, 30)]
    const results = await Promise.all(batches.map((b) => pool.verifyMany(b)))
    expect(results).toEqual(batches.map((b) => b.map((it) => nodeEd25519.verify(it.sig, it.msg, it.publicKey))))
    expect(await pool.verifyMany(items)).toEqual(expected)
    expect(spawned).toHaveLength(4) // both bad workers replaced
    expect(answers()).toBeGreaterThan(0)
    await pool.close()
  })

  it('workers that keep dying: the pool stops starting them and answers on this thread', async () => {
    let spawns = 0
    const pool = parallelEd25519({
      threads: 2,
      spawn: () => {
        spawns++
        if (spawns === 3) throw new Error('cannot start a thread')
        return new Worker(EXITS, { eval: true })
      },
    })
    const counts: number[] = []
    for (let i = 0; i < 6; i++) {
      expect(await pool.verifyMany(items)).toEqual(expected)
      counts.push(spawns)
    }
    // batch 1: two workers die; 2: the third cannot start; 3: two more start (3 deaths < 4) and
    // die; from then on, 5 deaths in a row: no more workers, this thread checks everything
    expect(counts).toEqual([2, 3, 5, 5, 5, 5])
    await pool.close()
  })

  it('real workers terminated while several batches are in flight', async () => {
    const { pool, spawned } = faultyPool('', 0)
    await pool.verifyMany(items) // starts both workers
    expect(spawned).toHaveLength(2)
    const batches = [pool.verifyMany(items), pool.verifyMany(items.slice(5)), pool.verifyMany(items.slice(0, 50))]
    await Promise.all(spawned.map((w) => w.terminate()))
    expect(await Promise.all(batches)).toEqual([expected, expected.slice(5), expected.slice(0, 50)])
    expect(await pool.verifyMany(items)).toEqual(expected)
    expect(spawned).toHaveLength(4)
    await pool.close()
  })

  it('close() answers what its workers still hold', async () => {
    const { pool } = faultyPool(SILENT, 2)
    const pending = pool.verifyMany(items)
    await pool.close()
    expect(await pending).toEqual(expected)
  })
})

describe('parallelEd25519 with workers that hang: a batch not answered by its deadline is checked here', () => {
  it('a worker in a busy loop is terminated at the deadline, replaced, and its batch answered correctly', async () => {
    const clock = fakeClock()
    const { pool, spawned, answers } = faultyPool(HANGS, 1, 1, { clock, timeoutMs: 1_000, timeoutPerItemMs: 1 })
    const pending = pool.verifyMany(items) // all of it goes to the one worker: this thread is not busy
    expect(clock.advance(0)).toBe(1) // the pool posts once the current task is over
    expect(clock.pending()).toBe(1) // one deadline: the batch the worker holds
    expect(clock.nextAt()).toBe(1_000 + items.length) // timeoutMs + timeoutPerItemMs × items
    clock.advance(1_000 + items.length - 1)
    expect(pool.stats.workersTimedOut).toBe(0) // not yet
    const exited = once(spawned[0]!, 'exit')
    clock.advance(1)
    expect(await pending).toEqual(expected)
    await exited // really terminated, busy loop and all
    expect(pool.stats).toMatchObject({ workersStarted: 1, workersDied: 1, workersTimedOut: 1, itemsOnCaller: items.length })
    const again = pool.verifyMany(items)
    clock.advance(0)
    expect(await again).toEqual(expected)
    expect(spawned).toHaveLength(2) // replaced
    expect(answers()).toBe(1) // by a worker that answers
    expect(pool.stats).toMatchObject({ workersStarted: 2, workersTimedOut: 1, itemsOnWorkers: items.length, itemsOnCaller: items.length })
    expect(clock.pending()).toBe(0) // answered: no deadline left armed
    await pool.close()
  })

  it('every batch hung workers hold or that waits for them is answered after the deadline; bad signatures stay rejected', async () => {
    const clock = fakeClock()
    const { pool, spawned } = faultyPool(HANGS, 2, 2, { clock })
    const batches = [items, items.slice(10), items.slice(0, 40), items.slice(7, 30)]
    const pending = Promise.all(
      batches.map((b) => {
        const verdicts = pool.verifyMany(b)
        clock.advance(0) // posted: the first two batches are held, the others wait
        return verdicts
      }),
    )
    expect(clock.pending()).toBe(2) // one deadline per worker, for the oldest batch it holds
    expect(clock.nextAt()).toBe(DEFAULT_TIMEOUT_MS + DEFAULT_TIMEOUT_PER_ITEM_MS * Math.floor(items.length / 2))
    clock.advance(DEFAULT_TIMEOUT_MS + DEFAULT_TIMEOUT_PER_ITEM_MS * items.length)
    expect(await pending).toEqual(batches.map((b) => b.map((it) => nodeEd25519.verify(it.sig, it.msg, it.publicKey))))
    expect(pool.stats.workersTimedOut).toBe(2)
    const again = pool.verifyMany(items)
    clock.advance(0)
    expect(await again).toEqual(expected)
    expect(spawned).toHaveLength(4)
    expect(pool.stats).toMatchObject({ workersStarted: 4, workersDied: 2, workersTimedOut: 2 })
    await pool.close()
  })

  it('workers that answer in time are never timed out; the deadline moves on with each answer', async () => {
    const clock = fakeClock()
    const { pool, spawned } = faultyPool('', 0, 1, { clock })
    const pending = Promise.all([pool.verifyMany(items), pool.verifyMany(items.slice(3)), pool.verifyMany(items.slice(0, 20))])
    clock.advance(0)
    expect(clock.pending()).toBe(1) // a single deadline, for the oldest batch
    expect(await pending).toEqual([expected, expected.slice(3), expected.slice(0, 20)])
    expect(clock.pending()).toBe(0)
    expect(spawned).toHaveLength(1)
    expect(pool.stats).toMatchObject({ workersStarted: 1, workersDied: 0, workersTimedOut: 0, itemsOnCaller: 0 })
    await pool.close()
  })
})

describe('parallelEd25519 scheduling: workers take the batches, this thread helps only when the queue is long', () => {
  it('a large batch is cut into pieces shared by the workers; the verdicts come back in order', async () => {
    const big = Array.from({ length: 40 }, () => items).flat() // more than two pieces of 512 per worker
    const want = Array.from({ length: 40 }, () => expected).flat()
    const { pool, answers } = faultyPool('', 0, 2, { callerAbove: 1e9 })
    expect(big.length).toBeGreaterThan(4 * 512)
    expect(await pool.verifyMany(big)).toEqual(want)
    expect(answers()).toBeGreaterThanOrEqual(4) // several pieces, both workers
    expect(pool.stats).toMatchObject({ itemsOnWorkers: big.length, itemsOnCaller: 0 })
    await pool.close()
  })

  it('while the workers are busy and more than callerAbove items wait, this thread checks the newest', async () => {
    const { pool, spawned } = faultyPool(SILENT, 1, 1, { callerAbove: 50 })
    const turn = () => new Promise((r) => setImmediate(r)) // the pool posts after the current task
    const held = [pool.verifyMany(items)]
    await turn()
    held.push(pool.verifyMany(items.slice(1)))
    await turn() // the worker holds two batches
    expect(pool.stats.posts).toBe(2)
    const queued = pool.verifyMany(items.slice(0, 40)) // waits: 40 ≤ callerAbove
    expect(pool.stats.itemsOnCaller).toBe(0)
    const helped = pool.verifyMany(items.slice(2, 32)) // 70 would wait: the newest is checked here
    expect(pool.stats.itemsOnCaller).toBe(30)
    expect(await helped).toEqual(expected.slice(2, 32)) // answered while the worker still holds its two
    await spawned[0]!.terminate() // the rest: its held batches and the queue are checked here
    expect(await Promise.all([...held, queued])).toEqual([expected, expected.slice(1), expected.slice(0, 40)])
    expect(pool.stats.itemsOnCaller).toBe(items.length * 2 - 1 + 40 + 30)
    await pool.close()
  })

  it('with callerShare, this thread checks the newest slice of each batch while the worker checks the rest', async () => {
    const { pool, spawned } = faultyPool(SILENT, 1, 1, { callerShare: 0.25 })
    const pending = pool.verifyMany(items)
    // posted at once (not after the task), and this thread's share checked before verifyMany returned
    expect(pool.stats.posts).toBe(1)
    expect(pool.stats.itemsOnCaller).toBe(Math.floor(items.length * 0.25))
    await spawned[0]!.terminate() // the worker's part is checked here too: every verdict, in order
    expect(await pending).toEqual(expected)
    expect(pool.stats.itemsOnCaller).toBe(items.length)
    await pool.close()
  })

  it('with callerShare, the verdicts of both parts come back in the order of the items', async () => {
    const { pool, answers } = faultyPool('', 0, 1, { callerShare: 0.5 })
    const reversed = [...items].reverse() // the bad signatures fall in both parts, differently
    expect(await pool.verifyMany(reversed)).toEqual([...expected].reverse())
    expect(await pool.verifyMany(items)).toEqual(expected)
    expect(answers()).toBe(2)
    expect(pool.stats).toMatchObject({ itemsOnCaller: 2 * Math.floor(items.length / 2), itemsOnWorkers: 2 * Math.ceil(items.length / 2) })
    await pool.close()
  })

  it('callerShare: 0.2 ÷ workers by default when a core is left for this thread; out of range clamped; NaN refused', async () => {
    const withCore = parallelEd25519({ threads: 1, spawn: (url) => new Worker(url) })
    expect(await withCore.verifyMany(items)).toEqual(expected)
    // the default depends on the cores: with one worker and two or more cores, 0.2 of the batch here
    const cores = (await import('node:os')).availableParallelism()
    expect(withCore.stats.itemsOnCaller).toBe(cores > 1 ? Math.floor(items.length * DEFAULT_CALLER_SHARE) : 0)
    const allCores = parallelEd25519({ threads: cores })
    expect(await allCores.verifyMany(items)).toEqual(expected)
    expect(allCores.stats.itemsOnCaller).toBe(0) // every core has a worker: none here
    const most = parallelEd25519({ threads: 1, callerShare: 5 })
    expect(await most.verifyMany(items)).toEqual(expected)
    expect(most.stats.itemsOnCaller).toBe(Math.floor(items.length * 0.9))
    expect(() => parallelEd25519({ callerShare: Number.NaN })).toThrow(TypeError)
    await Promise.all([withCore.close(), allCores.close(), most.close()])
  })

  it('batches that wait together go to a worker in one message; the verdicts are split back in order', async () => {
    const { pool, answers } = faultyPool('', 0, 1)
    const parts = [items.slice(0, 30), items.slice(30, 50), items.slice(50, 60), items.slice(60)]
    const all = await Promise.all(parts.map((b) => pool.verifyMany(b))) // asked in one task
    expect(all).toEqual([expected.slice(0, 30), expected.slice(30, 50), expected.slice(50, 60), expected.slice(60)])
    expect(pool.stats.posts).toBe(1)
    expect(answers()).toBe(1)
    expect(pool.stats).toMatchObject({ itemsOnWorkers: items.length, itemsOnCaller: 0 })
    await pool.close()
  })
})
