// The verify workers of a replicating command, started before the CLI's modules load. A worker
// thread takes ~0.2 s of CPU to boot (Node's bootstrap, the verify module, libsodium). Started
// when the command opened its node, it was still booting when the first entries arrived: a
// 10 000-entry catch-up (bench/cli-catchup.mjs) waited for it its first ~200 ms, ~15 % of it. The
// bin calls startEarlyVerifier() first thing, so the worker boots on the second core while this
// thread loads the CLI, and fastVerifier() takes the pool it started. The workers start even
// before the pool's module loads (@tinyssb/packet/verify-spawn, ~50 ms earlier).
import { availableParallelism } from 'node:os'
import type { ParallelEd25519 } from '@tinyssb/packet/node-crypto'

let early: ParallelEd25519 | undefined

/**
 * Whether command line `argv` (without "node tinyssb") runs a command that checks signatures on
 * worker threads (fast-verifier.ts): `prodcons --cons …` and `chat`, with ed25519 (no --hmac),
 * not asking for help. A command line this misjudges only starts its workers later (or in vain).
 */
export function replicatesOnWorkers(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  const flags = (end >= 0 ? argv.slice(0, end) : argv).filter((a) => a.startsWith('-'))
  const has = (name: string): boolean => flags.some((a) => a.replace(/^--?/, '').split('=', 1)[0] === name)
  if (has('help') || has('h') || has('hmac')) return false
  return argv[0] === 'chat' || (argv[0] === 'prodcons' && has('cons'))
}

/**
 * Starts the ed25519 verify pool (cores − 1 worker threads) for a command line that replicates
 * (see {@link replicatesOnWorkers}) on a machine with more than one core; resolves to whether it
 * did. The workers are unref'd: a pool no command takes does not keep the process alive.
 */
export async function startEarlyVerifier(argv: readonly string[], cores = availableParallelism()): Promise<boolean> {
  if (early || cores < 2 || !replicatesOnWorkers(argv)) return false
  // the workers first (a light module): they boot while this thread loads the pool's module (~50 ms)
  // and the CLI; a 10 000-entry catch-up otherwise began ~60 ms before the first worker answered
  const { startVerifyWorker, takeVerifyWorker } = await import('@tinyssb/packet/verify-spawn')
  const booting = Array.from({ length: cores - 1 }, () => startVerifyWorker())
  const { parallelEd25519 } = await import('@tinyssb/packet/node-crypto')
  early ??= warmPool(parallelEd25519({ threads: cores - 1, spawn: (url) => takeVerifyWorker(booting, url) }), cores)
  return true
}

/** The pool {@link startEarlyVerifier} started, once (later calls: undefined). */
export function takeEarlyVerifier(): ParallelEd25519 | undefined {
  const pool = early
  early = undefined
  return pool
}

/** Starts the workers of `pool` now (its first batch would wait for them to load): a batch of nothing. */
export function warmPool(pool: ParallelEd25519, cores: number): ParallelEd25519 {
  const blank = { sig: new Uint8Array(64), msg: new Uint8Array(0), publicKey: new Uint8Array(32) }
  void pool.verifyMany(Array.from({ length: 2 * (cores - 1) + 8 }, () => blank)).catch(() => undefined)
  return pool
}
