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

/** A verdict on its way: the batch it was checked in, and its place there. */
interface Ahead {
  readonly msg: Uint8Array
  readonly publicKey: Uint8Array
  /** The batch's verdicts; undefined when the batch failed (the item is checked again when asked for). */
  readonly batch: Promise<boolean[] | undefined>
  readonly index: number
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
      const fresh: VerifyItem[] = []
      const keys: string[] = []
      for (const i of items) {
        const k = bkey(i.sig)
        if (ahead.has(k)) continue
        fresh.push(i)
        keys.push(k)
      }
      if (fresh.length === 0) return
      // one promise per batch, not per item: the receive path pays for every allocation
      const batch = check(fresh).catch(() => undefined)
      for (let n = 0; n < fresh.length; n++) ahead.set(keys[n]!, { msg: fresh[n]!.msg, publicKey: fresh[n]!.publicKey, batch, index: n })
      while (ahead.size > max) ahead.delete(ahead.keys().next().value!)
    },
    async verifyMany(items) {
      const out: boolean[] = new Array<boolean>(items.length)
      const hits: { at: number; a: Ahead }[] = []
      const missing: VerifyItem[] = []
      const missingAt: number[] = []
      for (let at = 0; at < items.length; at++) {
        const i = items[at]!
        const k = bkey(i.sig)
        const a = ahead.get(k)
        if (a && equalBytes(a.msg, i.msg) && equalBytes(a.publicKey, i.publicKey)) {
          ahead.delete(k)
          hits.push({ at, a })
        } else {
          missing.push(i)
          missingAt.push(at)
        }
      }
      // started before the wait for the batches, settled into a value so that a failure is never unhandled meanwhile
      const checked = missing.length > 0 ? check(missing).then((oks) => ({ oks }), (error: unknown) => ({ error })) : undefined
      const batches = [...new Set(hits.map((h) => h.a.batch))]
      const verdicts = new Map(batches.map((b, n) => [b, n]))
      const settled = await Promise.all(batches)
      for (const { at, a } of hits) {
        const oks = settled[verdicts.get(a.batch)!]
        const i = items[at]!
        out[at] = oks ? oks[a.index] === true : inner.verify(i.sig, i.msg, i.publicKey)
      }
      if (checked) {
        const res = await checked
        if ('error' in res) throw res.error
        res.oks.forEach((ok, m) => (out[missingAt[m]!] = ok === true))
      }
      return out
    },
  }
}
