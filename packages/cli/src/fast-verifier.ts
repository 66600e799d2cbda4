// The fast pipeline for the commands that replicate (prodcons, chat): on a machine with more than
// one core, the signatures of each batch of entries the store appends are checked on worker threads
// too (parallelEd25519: libsodium when sodium-native is installed, else node:crypto; the same
// verdicts as the scheme), as bench/catchup.mjs does: while the workers check a batch, the node
// receives and forms the next ones, which go to the store in one appendMany. The bin starts those
// workers before the CLI loads (early-verifier.ts): they are booted when the first entries arrive.
// Checking ahead (a verdict cache, each batch handed over as soon as it forms: NodeOptions.verifyAhead)
// is an option: on 2 cores it cost the consumer ~18 % more CPU per entry (a verify call per small
// batch, each item built twice) and did not catch up faster (bench/cli-catchup.mjs, 10 000 entries,
// interleaved runs, median 6 836 entries/s without, 5 724 with).
import { availableParallelism } from 'node:os'
import type { SignatureScheme, Verifier } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { verdictCache, type VerifyAhead } from '@tinyssb/replication'
import { takeEarlyVerifier, warmPool } from './early-verifier.js'

/** The verifier a node directory's store uses, and what the node gets to check ahead. */
export interface FastVerifier {
  /** For the log store. */
  readonly verifier: Verifier
  /** For createNode; undefined unless checking ahead (and when the scheme is checked on this thread only). */
  readonly verifyAhead: VerifyAhead | undefined
  /** Stops the worker threads (they never keep the process alive; not waited for). */
  close(): Promise<void>
}

/** Options of {@link fastVerifier}. */
export interface FastVerifierOptions {
  /** Cores to count on (default: availableParallelism(), and then the pool the bin started early is taken if there is one). */
  readonly cores?: number
  /** Check each batch as soon as it forms, through a verdict cache (default false; see above). */
  readonly ahead?: boolean
}

/**
 * Worker threads for ed25519 on a machine with more than one core (and checking ahead with
 * `ahead`); the scheme itself otherwise (one core, or HMAC, whose verification needs the seeds
 * held here).
 */
export function fastVerifier(scheme: SignatureScheme, opts: FastVerifierOptions = {}): FastVerifier {
  const cores = opts.cores ?? availableParallelism()
  if (scheme !== ed25519 || cores < 2) return { verifier: scheme, verifyAhead: undefined, close: async () => undefined }
  // the pool the bin started before the CLI loaded (early-verifier.ts), else one started now
  const pool = (opts.cores === undefined ? takeEarlyVerifier() : undefined) ?? warmPool(parallelEd25519({ threads: cores - 1 }), cores)
  // not awaited: terminating an idle (unref'd) worker does not keep the event loop alive, so a
  // command awaiting it at exit could end with its top-level await unsettled (exit code 13)
  const close = async (): Promise<void> => void pool.close().catch(() => undefined)
  if (!opts.ahead) return { verifier: pool, verifyAhead: undefined, close }
  const cache = verdictCache(pool)
  return { verifier: cache, verifyAhead: cache, close }
}
