// A verify worker of parallelEd25519 started on its own. This module loads node:worker_threads and
// nothing else, so a program can start its workers first thing: they boot (Node's worker bootstrap,
// the backends, libsodium: ~0.1 s of CPU) on another core while it loads the rest, then hands them
// to the pool through ParallelVerifierOptions.spawn.
import { Worker } from 'node:worker_threads'

/** The script of a verify worker. */
export const VERIFY_WORKER_URL: URL = new URL('./verify-worker.js', import.meta.url)

/** A verify worker started before its pool, until the pool takes it ({@link takeVerifyWorker}). */
export interface BootingVerifyWorker {
  readonly worker: Worker
  /** Whether it exited (it failed to boot) before a pool took it: a pool takes a new one then. */
  exited: boolean
}

/**
 * Starts a verify worker now, unref'd (it does not keep the process alive until a pool takes it).
 * @example
 * ```ts
 * const booting = [startVerifyWorker()]             // first thing
 * const { parallelEd25519 } = await import('@tinyssb/packet/node-crypto')
 * const pool = parallelEd25519({ threads: 1, spawn: (url) => takeVerifyWorker(booting, url) })
 * ```
 */
export function startVerifyWorker(): BootingVerifyWorker {
  const worker = new Worker(VERIFY_WORKER_URL)
  worker.unref()
  const booting: BootingVerifyWorker = { worker, exited: false }
  worker.once('exit', () => (booting.exited = true))
  worker.on('error', () => undefined) // before a pool takes it: it then exits, and is not taken
  return booting
}

/** For ParallelVerifierOptions.spawn: one of `booting` still alive (taken out of the list), else a new worker. */
export function takeVerifyWorker(booting: BootingVerifyWorker[], url: URL): Worker {
  while (booting.length > 0) {
    const b = booting.shift()!
    if (!b.exited && url.href === VERIFY_WORKER_URL.href) return b.worker
    void b.worker.terminate().catch(() => undefined)
  }
  return new Worker(url)
}
