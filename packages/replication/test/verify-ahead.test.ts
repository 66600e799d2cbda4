// Checking signatures ahead of the append: the verdict cache, and a node that hands each batch to
// it while the store checks and writes the one before.
import { entrySignatureItem, type Verifier, type VerifyItem } from '@tinyssb/packet'
import { memoryLogStore } from '@tinyssb/repo'
import { describe, expect, it } from 'vitest'
import { verdictCache } from '../src/index.js'
import { produce, producerAndConsumer, runUntil, scheme, signerFor } from './helpers.js'

/** A verifier with verifyMany that counts what it checks. */
function counting(): Verifier & { verifyMany(items: readonly VerifyItem[]): Promise<boolean[]>; checked: number; batches: number } {
  const v = {
    checked: 0,
    batches: 0,
    verify: (sig: Uint8Array, msg: Uint8Array, pk: Uint8Array) => {
      v.checked++
      return scheme.verify(sig, msg, pk)
    },
    async verifyMany(items: readonly VerifyItem[]) {
      v.batches++
      v.checked += items.length
      return items.map((i) => scheme.verify(i.sig, i.msg, i.publicKey))
    },
  }
  return v
}

async function items(n: number): Promise<VerifyItem[]> {
  const logs = memoryLogStore({ verifier: scheme })
  const entries = await produce(logs, signerFor(3), n)
  return entries.map((e) => entrySignatureItem(e, e.wire))
}

describe('verdictCache', () => {
  it('verdicts checked ahead are used once by verifyMany; the others are checked then', async () => {
    const inner = counting()
    const cache = verdictCache(inner)
    const all = await items(10)
    cache.prefetch(all.slice(0, 6))
    expect(inner.checked).toBe(6)
    expect(cache.size).toBe(6)
    expect(await cache.verifyMany(all)).toEqual(Array(10).fill(true))
    expect(inner.checked).toBe(10) // the 4 not prefetched, nothing twice
    expect(cache.size).toBe(0)
    expect(await cache.verifyMany(all.slice(0, 2))).toEqual([true, true]) // used once: checked again
    expect(inner.checked).toBe(12)
  })

  it('never reuses a verdict for other bytes under the same signature', async () => {
    const inner = counting()
    const cache = verdictCache(inner)
    const [good] = await items(1)
    cache.prefetch([good!])
    const forged = { ...good!, msg: good!.msg.slice() }
    forged.msg[70]! ^= 1 // another payload, the same signature
    expect(await cache.verifyMany([forged])).toEqual([false])
    const otherKey = { ...good!, publicKey: signerFor(4).publicKey }
    expect(await cache.verifyMany([otherKey])).toEqual([false])
    expect(await cache.verifyMany([good!])).toEqual([true])
  })

  it('verdicts from several prefetched batches and of items not prefetched come back in the order asked', async () => {
    const inner = counting()
    const cache = verdictCache(inner)
    const all = await items(12)
    const forged = { ...all[5]!, msg: all[5]!.msg.slice() }
    forged.msg[70]! ^= 1
    cache.prefetch(all.slice(0, 4))
    cache.prefetch([all[8]!, all[9]!, forged])
    expect(inner.batches).toBe(2)
    expect(await cache.verifyMany([all[9]!, all[0]!, forged, all[11]!, all[2]!, all[8]!])).toEqual([true, true, false, true, true, true])
    expect(inner.batches).toBe(3) // one more, for the item not prefetched
    expect(inner.checked).toBe(8)
    expect(cache.size).toBe(2) // all[1], all[3]
  })

  it('a failure of the batch checked when asked for is thrown, while prefetched verdicts still wait', async () => {
    const all = await items(4)
    let release!: () => void
    const slow = new Promise<void>((r) => (release = r))
    let calls = 0
    const inner: Verifier = {
      verify: (s, m, k) => scheme.verify(s, m, k),
      verifyMany: async (xs) => {
        if (++calls === 1) {
          await slow
          return xs.map((i) => scheme.verify(i.sig, i.msg, i.publicKey))
        }
        throw new Error('worker died')
      },
    }
    const cache = verdictCache(inner)
    cache.prefetch(all.slice(0, 2))
    const asked = cache.verifyMany(all)
    await new Promise((r) => setTimeout(r, 5)) // the second batch fails while the first is pending
    release()
    await expect(asked).rejects.toThrow('worker died')
  })

  it('is bounded, and a batch that fails ahead is checked again when asked for', async () => {
    const all = await items(20)
    const cache = verdictCache(counting(), { maxItems: 8 })
    cache.prefetch(all)
    expect(cache.size).toBe(8)
    let fail = true
    const flaky: Verifier = {
      verify: (s, m, k) => scheme.verify(s, m, k),
      verifyMany: async (xs) => {
        if (fail) throw new Error('worker died')
        return xs.map((i) => scheme.verify(i.sig, i.msg, i.publicKey))
      },
    }
    const c2 = verdictCache(flaky)
    c2.prefetch(all.slice(0, 3))
    fail = false
    expect(await c2.verifyMany(all.slice(0, 3))).toEqual([true, true, true])
  })
})

describe('a node that checks ahead', () => {
  it('replicates with the verdicts checked ahead: each signature is checked once', async () => {
    const inner = counting()
    const cache = verdictCache(inner)
    let ahead = 0
    const verifyAhead = { prefetch: (xs: readonly VerifyItem[]) => ((ahead += xs.length), cache.prefetch(xs)) }
    const { clock, fid, nodeA, nodeB } = await producerAndConsumer({ seed: 31, feed: 21, entries: 300, node: { verifyAhead }, verifier: cache })
    await nodeA.start()
    await nodeB.start()
    expect(await runUntil(clock, () => nodeB.front(fid) === 300, 60_000)).toBe(true)
    await nodeB.idle()
    expect(ahead).toBe(300) // every batch was handed over when it formed
    expect(inner.checked).toBe(300) // and the store's appendMany took the verdicts: nothing twice
    expect(cache.size).toBe(0)
    await nodeA.stop()
    await nodeB.stop()
  })

  it('a forged entry in a batch is refused, the batches after it are dropped, and replication goes on', async () => {
    const cache = verdictCache(counting())
    const { clock, a, signer, fid, nodeA, nodeB, hub } = await producerAndConsumer({ seed: 32, feed: 22, entries: 0, node: { verifyAhead: cache, retryMinMs: 100 }, verifier: cache })
    const entries = await produce(a.logs, signer, 200)
    await nodeA.start()
    await nodeB.start()
    // the attacker pushes a copy of entry 1 with a broken signature (the DMX still fits) first
    const forged = entries[0]!.wire.slice()
    forged[100]! ^= 1
    await hub.face('attacker').send(forged)
    expect(await runUntil(clock, () => nodeB.front(fid) === 200, 60_000)).toBe(true)
    expect(nodeB.stats.dropped.PACKET_SIGNATURE ?? 0).toBeGreaterThanOrEqual(1)
    await nodeA.stop()
    await nodeB.stop()
  })
})
