// Checking signatures ahead of the append. A node takes the frames of the next batch while the
// store still checks and writes the current one; with a verdict cache the node hands each batch's
// signatures to the verifier as soon as the batch is formed (`prefetch`), and when the store's
// appendMany asks `verifyMany` for the same items, the verdicts are ready or on their way. The
// store still verifies every entry it appends: the cache only remembers answers for identical
// (signature, message, key) triples, so a verdict is never reused for other bytes.
import { equalBytes, type Verifier, type VerifyItem } from '@tinyssb/packet'
import { bkey } from './keys.js'
import type { VerifyAhead } from './options.js'

/** Verdicts kept at most (about 1 MB of messages and keys); the oldest is forgotten first. */
export const VERDICT_CACHE_ITEMS = 8_192

/** A {@link Verifier} with {@link VerifyAhead}: hand it to the store and to the node alike. */
export interface VerdictCache extends Verifier, VerifyAhead {
  /** Verdicts for `items`: prefetched ones are taken (once) from the cache, the others checked now. */
  verifyMany(items: readonly VerifyItem[]): Promise<boolean[]>
  /** Verdicts waiting to be used. */
  readonly size: number
}

interface Ahead {
  readonly msg: Uint8Array
  readonly publicKey: Uint8Array
  readonly verdict: Promise<boolean>
}

/**
 * Wraps `inner` (e.g. `parallelEd25519()`, whose verifyMany uses worker threads) so that
 * signatures can be checked before the store asks for them.
 * @example
 * ```ts
 * const verifier = verdictCache(parallelEd25519())
 * const logs = await fsLogStore({ dir, verifier })
 * const node = createNode({ logs, faces, verifyAhead: verifier })
 * ```
 */
export function verdictCache(inner: Verifier, opts: { maxItems?: number } = {}): VerdictCache {
  const max = Math.max(1, opts.maxItems ?? VERDICT_CACHE_ITEMS)
  const ahead = new Map<string, Ahead>() // by signature; insertion order = oldest first

  const check = (items: readonly VerifyItem[]): Promise<boolean[]> =>
    inner.verifyMany ? inner.verifyMany(items) : Promise.resolve(items.map((i) => inner.verify(i.sig, i.msg, i.publicKey)))

  return {
    verify: (sig, msg, publicKey) => inner.verify(sig, msg, publicKey),
    get size() {
      return ahead.size
    },
    prefetch(items) {
      const fresh = items.filter((i) => !ahead.has(bkey(i.sig)))
      if (fresh.length === 0) return
      const batch = check(fresh)
      batch.catch(() => undefined) // a failed batch is checked again when asked for
      fresh.forEach((i, n) => {
        const verdict = batch.then((oks) => oks[n] === true)
        verdict.catch(() => undefined)
        ahead.set(bkey(i.sig), { msg: i.msg, publicKey: i.publicKey, verdict })
      })
      while (ahead.size > max) ahead.delete(ahead.keys().next().value!)
    },
    async verifyMany(items) {
      const out: Array<Promise<boolean> | undefined> = []
      const missing: VerifyItem[] = []
      for (const i of items) {
        const k = bkey(i.sig)
        const a = ahead.get(k)
        if (a && equalBytes(a.msg, i.msg) && equalBytes(a.publicKey, i.publicKey)) {
          ahead.delete(k)
          out.push(a.verdict.catch(() => inner.verify(i.sig, i.msg, i.publicKey)))
        } else {
          out.push(undefined)
          missing.push(i)
        }
      }
      const checked = missing.length > 0 ? await check(missing) : []
      let m = 0
      return Promise.all(out.map((p) => p ?? checked[m++] === true))
    },
  }
}
