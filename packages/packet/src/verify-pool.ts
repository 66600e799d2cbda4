// Parallel ed25519 verification on worker threads (Node only), for catching up: a batch of entries
// is split between the calling thread and the workers, each checking its share with the fastest
// backend here (libsodium when sodium-native is installed, else node:crypto; both apply one rule,
// so the verdicts are those of nodeEd25519.verify whichever runs).
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { systemClock, type Clock, type TimerHandle } from '@tinyssb/core'
import type { SignatureScheme, VerifyItem } from './crypto.js'
import { pickEd25519, type NodeEd25519Backend } from './pick-ed25519.js'

/** Batches smaller than this are checked on the calling thread: a message round trip costs more. */
const MIN_PARALLEL_BATCH = 8
/** Workers that died in a row (no answer from any worker in between) before the pool stops starting new ones. */
const MAX_DEATHS_IN_A_ROW = 4
/** Default deadline of a batch on a worker: this much, plus {@link DEFAULT_TIMEOUT_PER_ITEM_MS} per item. */
export const DEFAULT_TIMEOUT_MS = 5_000
/** Default extra deadline per item of a batch (about 50× what one check takes on a slow core). */
export const DEFAULT_TIMEOUT_PER_ITEM_MS = 2

/** Options of {@link parallelEd25519}. */
export interface ParallelVerifierOptions {
  /** Worker threads (default: available cores − 1, at least 1). 0 = no workers: the backend on the calling thread only. */
  readonly threads?: number
  /**
   * Starts one worker running the script at `url` (default `new Worker(url)`): for Worker options
   * such as resourceLimits, and for tests that make workers fail.
   */
  readonly spawn?: (url: URL) => Worker
  /**
   * The backend on every thread: 'sodium' (libsodium; needs sodium-native), 'node-crypto', or by
   * default the fastest available (sodium when it loads; TINYSSB_ED25519=node-crypto forces node:crypto).
   */
  readonly backend?: NodeEd25519Backend
  /**
   * Time for the deadlines (default: systemClock from @tinyssb/core). A worker that holds a batch
   * for longer than `timeoutMs + timeoutPerItemMs × items` (counted from when the worker got to it:
   * its post, or the answer to the batch before it) is deemed hung: it is terminated and replaced,
   * and what it held is checked on the calling thread.
   */
  readonly clock?: Clock
  /** Default {@link DEFAULT_TIMEOUT_MS} (5 s). */
  readonly timeoutMs?: number
  /** Default {@link DEFAULT_TIMEOUT_PER_ITEM_MS} (2 ms). */
  readonly timeoutPerItemMs?: number
}

/** Counters of a {@link ParallelEd25519} pool (they only grow). */
export interface VerifyPoolStats {
  /** Workers started. */
  readonly workersStarted: number
  /** Workers that died (an error, an exit, a garbled answer) while the pool was open. */
  readonly workersDied: number
  /** Of those, workers that did not answer a batch before its deadline (hung): terminated and replaced. */
  readonly workersTimedOut: number
  /** Items checked on worker threads, and on the calling thread (including those of dead workers). */
  readonly itemsOnWorkers: number
  readonly itemsOnCaller: number
}

/** An ed25519 scheme (libsodium or node:crypto) whose verifyMany() uses worker threads; close() stops them. */
export interface ParallelEd25519 extends SignatureScheme {
  /**
   * Verdicts of verify() for each item. Always answers: a batch whose worker dies (an 'error',
   * an exit, a garbled answer) is checked again on the calling thread, and the worker is replaced.
   */
  verifyMany(items: readonly VerifyItem[]): Promise<boolean[]>
  /** Terminates the workers (they never keep an idle process alive; this frees them early). */
  close(): Promise<void>
  /** What the pool did so far. */
  readonly stats: VerifyPoolStats
}

/** A batch posted to a worker, kept until answered so it can be checked again if the worker dies. */
interface Job {
  readonly items: readonly VerifyItem[]
  resolve(oks: boolean[]): void
}

interface Slot {
  readonly worker: Worker
  readonly jobs: Map<number, Job>
  /** Takes the worker out of the pool and checks its pending batches on this thread (idempotent). */
  die(): void
  /** (Re)arms the deadline of the oldest batch the worker holds; none when it holds none. */
  watch(): void
}

/** Packs items as: count(4) ‖ per item: sig(64) ‖ publicKey(32) ‖ msgLen(4) ‖ msg. */
function pack(items: readonly VerifyItem[]): ArrayBuffer {
  let size = 4
  for (const it of items) size += 100 + it.msg.length
  const buf = new Uint8Array(size)
  const view = new DataView(buf.buffer)
  view.setUint32(0, items.length)
  let o = 4
  for (const it of items) {
    if (it.sig.length !== 64 || it.publicKey.length !== 32) {
      buf.fill(0, o, o + 96) // a wrong-length item verifies false, like verify()
    } else {
      buf.set(it.sig, o)
      buf.set(it.publicKey, o + 64)
    }
    view.setUint32(o + 96, it.msg.length)
    buf.set(it.msg, o + 100)
    o += 100 + it.msg.length
  }
  return buf.buffer
}

/**
 * ed25519 on node:crypto with a worker pool for verifyMany().
 * @example
 * ```ts
 * import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
 * const scheme = parallelEd25519()
 * const oks = await scheme.verifyMany(items) // same verdicts as scheme.verify, item by item
 * await scheme.close()
 * ```
 */
export function parallelEd25519(opts: ParallelVerifierOptions = {}): ParallelEd25519 {
  const scheme = pickEd25519(opts.backend)
  const backend = scheme.backend as NodeEd25519Backend
  const threads = Math.max(0, opts.threads ?? Math.max(1, availableParallelism() - 1))
  const spawn = opts.spawn ?? ((url: URL) => new Worker(url))
  const slots: Slot[] = []
  let nextId = 0
  let closed = false
  let deathsInARow = 0
  const clock = opts.clock ?? systemClock
  const timeoutMs = Math.max(0, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const perItemMs = Math.max(0, opts.timeoutPerItemMs ?? DEFAULT_TIMEOUT_PER_ITEM_MS)
  const stats = { workersStarted: 0, workersDied: 0, workersTimedOut: 0, itemsOnWorkers: 0, itemsOnCaller: 0 }

  /** Starts a worker; undefined when it cannot be started. */
  function addWorker(): Slot | undefined {
    let worker: Worker
    try {
      worker = spawn(new URL('./verify-worker.js', import.meta.url))
    } catch {
      deathsInARow++
      return undefined
    }
    stats.workersStarted++
    let dead = false
    let timer: TimerHandle | undefined
    const slot: Slot = {
      worker,
      jobs: new Map(),
      die() {
        if (dead) return
        dead = true
        slot.watch()
        const i = slots.indexOf(slot)
        if (i >= 0) slots.splice(i, 1)
        if (!closed) {
          deathsInARow++
          stats.workersDied++
        }
        const jobs = [...slot.jobs.values()]
        slot.jobs.clear()
        // nothing posted to a dead worker is left unanswered: its batches are checked on this thread
        for (const job of jobs) job.resolve(verifyLocal(job.items))
        void worker.terminate().catch(() => undefined)
      },
      watch() {
        if (timer !== undefined) clock.clearTimeout(timer)
        timer = undefined
        // batches are answered in the order they were posted: the deadline runs for the oldest one
        const head = dead ? undefined : slot.jobs.values().next().value
        if (!head) return
        timer = clock.setTimeout(() => {
          timer = undefined
          if (!closed) stats.workersTimedOut++
          slot.die() // hung: terminated; what it holds is checked on this thread
        }, timeoutMs + perItemMs * head.items.length)
      },
    }
    worker.unref() // an idle pool never keeps the process alive; ref'd while it holds jobs
    worker.on('message', (m: { id?: unknown; ok?: unknown } | null) => {
      const job = slot.jobs.get(m?.id as number)
      if (!job) return
      slot.jobs.delete(m!.id as number)
      if (slot.jobs.size === 0) worker.unref()
      const ok = m!.ok
      if (!(ok instanceof Uint8Array) || ok.length !== job.items.length) {
        job.resolve(verifyLocal(job.items)) // a garbled answer: check here, and stop trusting the worker
        slot.die()
        return
      }
      deathsInARow = 0
      stats.itemsOnWorkers += ok.length
      slot.watch() // the next batch's deadline runs from now
      job.resolve(Array.from(ok, (b) => b === 1))
    })
    const die = (): void => slot.die()
    worker.on('error', die)
    worker.on('messageerror', die)
    worker.on('exit', die)
    slots.push(slot)
    return slot
  }

  function post(slot: Slot, items: readonly VerifyItem[]): Promise<boolean[]> {
    return new Promise((resolve) => {
      const id = nextId++
      const idle = slot.jobs.size === 0
      if (idle) slot.worker.ref()
      slot.jobs.set(id, { items, resolve })
      if (idle) slot.watch()
      const buf = pack(items)
      try {
        slot.worker.postMessage({ id, buf, backend }, [buf])
      } catch {
        slot.jobs.delete(id)
        slot.watch()
        resolve(verifyLocal(items))
      }
    })
  }

  const verifyLocal = (items: readonly VerifyItem[]): boolean[] => {
    stats.itemsOnCaller += items.length
    return items.map((it) => scheme.verify(it.sig, it.msg, it.publicKey))
  }

  return {
    alg: 'ed25519',
    backend,
    publicKey: (seed) => scheme.publicKey(seed),
    signer: (seed) => scheme.signer(seed),
    verify: (sig, msg, pk) => scheme.verify(sig, msg, pk),
    stats,
    async verifyMany(items) {
      if (closed || threads === 0 || items.length < MIN_PARALLEL_BATCH) return verifyLocal(items)
      // dead workers are replaced here, unless workers keep dying (then this thread does the work)
      while (slots.length < threads && deathsInARow < MAX_DEATHS_IN_A_ROW) if (!addWorker()) break
      const workers = slots.slice()
      // equal shares for the workers and this thread; this thread checks the first share meanwhile
      const share = Math.ceil(items.length / (workers.length + 1))
      const remote = workers.map((slot, i) => {
        const part = items.slice(share * (i + 1), share * (i + 2))
        return part.length ? post(slot, part) : Promise.resolve([])
      })
      const local = verifyLocal(items.slice(0, share))
      for (const part of await Promise.all(remote)) for (const ok of part) local.push(ok)
      return local
    },
    async close() {
      closed = true
      const all = slots.slice()
      await Promise.all(all.map((s) => s.worker.terminate()))
      for (const s of all) s.die() // what was pending is answered on this thread

    },
  }
}

