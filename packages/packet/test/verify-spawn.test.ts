// Verify workers started before their pool (verify-spawn.ts): the pool takes the ones still alive,
// and replaces those that died while booting; the verdicts are the pool's either way.
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
// the workers run dist/verify-worker.js, so this test uses the built files
import { nodeEd25519, parallelEd25519 } from '../dist/ed25519-node.js'
import { startVerifyWorker, takeVerifyWorker, VERIFY_WORKER_URL } from '../dist/verify-spawn.js'
import { loadVectors, verifyItemsOf, type EntryRow } from './vectors.js'

const packets = loadVectors('packets.json') as { entries: EntryRow[] }
const negative = loadVectors('negative.json') as { cases: EntryRow[] }
const items = verifyItemsOf([...packets.entries, ...negative.cases])
const expected = items.map((it) => nodeEd25519.verify(it.sig, it.msg, it.publicKey))

describe('verify workers started before their pool', () => {
  it('the pool takes the worker that booted meanwhile, and it checks the batches', async () => {
    const booting = [startVerifyWorker()]
    const first = booting[0]!.worker
    const spawned: Worker[] = []
    const pool = parallelEd25519({ threads: 1, callerShare: 0, spawn: (url) => (spawned.push(takeVerifyWorker(booting, url)), spawned[spawned.length - 1]!) })
    expect(await pool.verifyMany(items)).toEqual(expected)
    expect(spawned).toEqual([first]) // the booting one, not a new one
    expect(booting).toHaveLength(0)
    expect(pool.stats).toMatchObject({ workersStarted: 1, itemsOnWorkers: items.length, itemsOnCaller: 0 })
    await pool.close()
  })

  it('a worker that exited while booting is not taken: a new one is started', async () => {
    const booting = [startVerifyWorker()]
    const dead = booting[0]!.worker
    await dead.terminate()
    expect(booting[0]!.exited).toBe(true)
    const taken = takeVerifyWorker(booting, VERIFY_WORKER_URL)
    expect(taken).not.toBe(dead)
    expect(booting).toHaveLength(0)
    await taken.terminate()
  })

  it('a pool asking for another script gets it; the booting workers are stopped', async () => {
    const booting = [startVerifyWorker()]
    const w = booting[0]!.worker
    const exited = once(w, 'exit')
    const other = takeVerifyWorker(booting, new URL('data:text/javascript,'))
    expect(other).not.toBe(w)
    await exited // terminated, not left running
    await other.terminate()
  })
})
