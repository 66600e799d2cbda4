// Parallel ed25519 verification on worker threads (Node only), for catching up: batches of entries
// wait in one queue, and each worker takes the next as it answers one (at most WORKER_DEPTH held
// at once; what waits goes in one message, so a busy receive loop posts fewer and larger ones), checking with the fastest backend here (libsodium when sodium-native is installed,
// else node:crypto; both apply one rule, so the verdicts are those of nodeEd25519.verify whichever
// runs). The calling thread, which also receives, parses and stores, checks the newest slice of
// each batch itself (callerShare: the batch's verdicts come sooner, and a catch-up waits for them),
// and whole batches only when the workers are all busy and the queue is long.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { soon, systemClock, type Clock } from '@tinyssb/core'
import type { SignatureScheme, VerifyItem } from './crypto.js'
import { pickEd25519, type NodeEd25519Backend } from './pick-ed25519.js'
import { startSlot, type Slot, type SlotHost } from './verify-slot.js'
import { VERIFY_WORKER_URL } from './verify-spawn.js'

/** Batches smaller than this are checked on the calling thread: a message round trip costs more. */
const MIN_PARALLEL_BATCH = 8
/** Workers that died in a row (no answer from any worker in between) before the pool stops starting new ones. */
const MAX_DEATHS_IN_A_ROW = 4
/** Default deadline of a batch on a worker: this much, plus {@link DEFAULT_TIMEOUT_PER_ITEM_MS} per item. */
export const DEFAULT_TIMEOUT_MS = 5_000
/** Default extra deadline per item of a batch (about 50× what one check takes on a slow core). */
export const DEFAULT_TIMEOUT_PER_ITEM_MS = 2
/** Default of {@link ParallelVerifierOptions.callerAbove}: about 50 ms of one core's checking. */
export const DEFAULT_CALLER_ABOVE = 1_024
/**
 * Default of {@link ParallelVerifierOptions.callerShare} with one worker (÷ workers with more): in
 * a catch-up on 2 cores the calling thread is about half busy and the worker three quarters; this
 * share evens them out (interleaved runs of bench/cli-catchup.mjs: 0.1–0.2 best, 0.3 worse).
 */
export const DEFAULT_CALLER_SHARE = 0.2
/** Batches a worker holds at once (one checked, one waiting in its port, so it never idles between). */
const WORKER_DEPTH = 2
/** A batch is cut into pieces of this many items at most, so that the workers share it. */
const MAX_PIECE = 512

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
  /**
   * The calling thread checks batches itself (the newest first) only while more than this many
   * items wait for a worker (default {@link DEFAULT_CALLER_ABOVE}); 0: whatever no worker can take
   * at once. During a catch-up this thread also receives, parses and stores: it is the bottleneck.
   */
  readonly callerAbove?: number
  /**
   * The fraction (0 to 0.9) of each batch that the calling thread checks itself, the newest items,
   * while the workers check the rest: the batch is answered sooner. Default
   * {@link DEFAULT_CALLER_SHARE} ÷ workers when a core is left for the calling thread, else 0.
   */
  readonly callerShare?: number
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
  /** Messages posted to workers (each holds one or more waiting batches). */
  readonly posts: number
}

/** An ed25519 scheme (libsodium or node:crypto) whose verifyMany() uses worker threads; close() stops them. */
export interface ParallelEd25519 extends SignatureScheme {
  /**
   * Verdicts of verify() for each item, in order. Always answers: a batch whose worker dies (an
   * 'error', an exit, a garbled answer) or hangs (no answer by its deadline) is checked again on
   * the calling thread, and the worker is replaced.
   */
  verifyMany(items: readonly VerifyItem[]): Promise<boolean[]>
  /** Terminates the workers (they never keep an idle process alive; this frees them early). */
  close(): Promise<void>
  /** What the pool did so far. */
  readonly stats: VerifyPoolStats
}

/** A piece of a batch waiting for a worker. */
interface Piece {
  readonly items: readonly VerifyItem[]
  resolve(oks: boolean[]): void
}

/**
 * ed25519 with a worker pool for verifyMany().
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
  const timeoutMs = Math.max(0, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const perItemMs = Math.max(0, opts.timeoutPerItemMs ?? DEFAULT_TIMEOUT_PER_ITEM_MS)
  const callerAbove = Math.max(0, opts.callerAbove ?? DEFAULT_CALLER_ABOVE)
  const callerShare = shareOf(opts.callerShare, threads)
  const stats = { workersStarted: 0, workersDied: 0, workersTimedOut: 0, itemsOnWorkers: 0, itemsOnCaller: 0, posts: 0 }
  const clock = opts.clock ?? systemClock
  const slots: Slot[] = []
  const queue: Piece[] = []
  let queued = 0 // items in the queue
  let closed = false
  let deathsInARow = 0

  const verifyLocal = (items: readonly VerifyItem[]): boolean[] => {
    stats.itemsOnCaller += items.length
    return items.map((it) => scheme.verify(it.sig, it.msg, it.publicKey))
  }

  const host: SlotHost = {
    clock,
    backend,
    deadline: (items) => timeoutMs + perItemMs * items,
    verifyLocal,
    answered(_slot, items) {
      deathsInARow = 0
      stats.itemsOnWorkers += items
      pump()
    },
    died(slot, timedOut) {
      const i = slots.indexOf(slot)
      if (i >= 0) slots.splice(i, 1)
      if (!closed) {
        deathsInARow++
        stats.workersDied++
        if (timedOut) stats.workersTimedOut++
      }
      pump()
      // no worker left to take what waits: it is checked here (new workers start with the next batch)
      if (slots.length === 0) while (queue.length > 0) take(queue.length - 1)
    },
  }

  /** Starts a worker; false when it cannot be started. */
  function addWorker(): boolean {
    let worker: Worker
    try {
      worker = spawn(VERIFY_WORKER_URL)
    } catch {
      deathsInARow++
      return false
    }
    stats.workersStarted++
    slots.push(startSlot(worker, host))
    return true
  }

  /** Takes the piece at `i` out of the queue and checks it on this thread. */
  function take(i: number): void {
    const [piece] = queue.splice(i, 1)
    queued -= piece!.items.length
    piece!.resolve(verifyLocal(piece!.items))
  }

  /** Items the workers can take at the next pump (WORKER_DEPTH messages each, of up to MAX_PIECE). */
  const room = (): number => slots.reduce((n, s) => n + Math.max(0, WORKER_DEPTH - s.held), 0) * MAX_PIECE

  let pumping = false
  /** Pumps once the current task is over: the batches of the frames received meanwhile go together. */
  function pumpSoon(): void {
    if (pumping) return
    pumping = true
    soon(clock, () => {
      pumping = false
      pump()
    })
  }

  /**
   * Hands waiting pieces, oldest first, to the workers holding the fewest (WORKER_DEPTH at most),
   * several small ones in one message, shared out so that every free worker gets some.
   */
  function pump(): void {
    while (queue.length > 0) {
      let best: Slot | undefined
      let free = 0
      for (const s of slots) {
        if (s.held >= WORKER_DEPTH) continue
        free++
        if (!best || s.held < best.held) best = s
      }
      if (!best) return
      const limit = Math.min(MAX_PIECE, Math.ceil(queued / free))
      const take = [queue.shift()!]
      let n = take[0]!.items.length
      while (queue.length > 0 && n + queue[0]!.items.length <= limit) {
        take.push(queue.shift()!)
        n += take[take.length - 1]!.items.length
      }
      queued -= n
      stats.posts++
      const items = take.length === 1 ? take[0]!.items : take.flatMap((p) => p.items)
      void best.post(items).then((oks) => {
        let o = 0
        for (const p of take) p.resolve(take.length === 1 ? oks : oks.slice(o, (o += p.items.length)))
      })
    }
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
      if (slots.length === 0) return verifyLocal(items)
      const mine = Math.floor(items.length * callerShare) // the newest, checked here below
      const rest = items.length - mine
      // pieces small enough for every worker to get one, large enough to be worth a message
      const size = Math.min(MAX_PIECE, Math.max(MIN_PARALLEL_BATCH, Math.ceil(rest / slots.length)))
      const parts: Promise<boolean[]>[] = []
      for (let o = 0; o < rest; o += size) {
        const part = items.slice(o, Math.min(rest, o + size))
        parts.push(new Promise((resolve) => queue.push({ items: part, resolve })))
        queued += part.length
      }
      if (mine > 0) {
        pump() // the workers start now, while this thread checks its share
        parts.push(Promise.resolve(verifyLocal(items.slice(rest))))
      } else pumpSoon()
      // more waits than the workers can take and the queue is long: this thread helps, newest first
      const waiting = (): number => queued - room()
      while (queue.length > 0 && (waiting() > callerAbove || (callerAbove === 0 && waiting() > 0))) take(queue.length - 1)
      const out: boolean[] = []
      for (const part of await Promise.all(parts)) for (const ok of part) out.push(ok)
      return out
    },
    async close() {
      closed = true
      const all = slots.slice()
      await Promise.all(all.map((s) => s.worker.terminate()))
      for (const s of all) s.die() // what was pending is answered on this thread
      while (queue.length > 0) take(queue.length - 1)
    },
  }
}

/** The caller's share of each batch (see ParallelVerifierOptions.callerShare). */
function shareOf(share: number | undefined, threads: number): number {
  if (share === undefined) return threads > 0 && threads < availableParallelism() ? DEFAULT_CALLER_SHARE / threads : 0
  if (typeof share !== 'number' || Number.isNaN(share)) throw new TypeError(`callerShare: expected a number from 0 to 0.9, got ${String(share)}`)
  return Math.min(0.9, Math.max(0, share))
}
