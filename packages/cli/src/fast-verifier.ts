// The fast pipeline for the commands that replicate (prodcons, chat): on a machine with more than
// one core, the signatures of each batch of entries are checked on worker threads too
// (parallelEd25519: libsodium when sodium-native is installed, else node:crypto; the same verdicts
// as the scheme), and ahead of the append: the store checks every entry it appends through a
// verdict cache, and the node hands each batch over as soon as it forms (NodeOptions.verifyAhead),
// so the next batch is checked while the store writes the current one.
import { availableParallelism } from 'node:os'
import type { SignatureScheme, Verifier } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { verdictCache, type VerifyAhead } from '@tinyssb/replication'

/** The verifier a node directory's store uses, and what the node gets to check ahead. */
export interface FastVerifier {
  /** For the log store. */
  readonly verifier: Verifier
  /** For createNode; undefined when the scheme is checked on this thread only. */
  readonly verifyAhead: VerifyAhead | undefined
  /** Stops the worker threads (they never keep the process alive; not waited for). */
  close(): Promise<void>
}

/**
 * Worker threads and checking ahead for ed25519 on a machine with more than one core; the scheme
 * itself otherwise (one core, or HMAC, whose verification needs the seeds held here).
 */
export function fastVerifier(scheme: SignatureScheme, cores = availableParallelism()): FastVerifier {
  if (scheme !== ed25519 || cores < 2) return { verifier: scheme, verifyAhead: undefined, close: async () => undefined }
  const pool = parallelEd25519({ threads: cores - 1 })
  // start the workers now (their first batch would wait for them to load): a batch of nothing
  const blank = { sig: new Uint8Array(64), msg: new Uint8Array(0), publicKey: new Uint8Array(32) }
  void pool.verifyMany(Array.from({ length: 2 * (cores - 1) + 8 }, () => blank)).catch(() => undefined)
  const cache = verdictCache(pool)
  // not awaited: terminating an idle (unref'd) worker does not keep the event loop alive, so a
  // command awaiting it at exit could end with its top-level await unsettled (exit code 13)
  return { verifier: cache, verifyAhead: cache, close: async () => void pool.close().catch(() => undefined) }
}
