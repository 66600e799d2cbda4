// The BlobStore compliance suite (docs/CONTRIBUTING.md "Compliance suites"): every BlobStore
// implementation runs it. This module imports vitest and fast-check.
import fc from 'fast-check'
import { blobPointer, PacketError, sha256, type BlobStore } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { expectCode, hex } from './store-fixtures.js'

/** Makes a fresh, empty blob store. */
export type MakeBlobStore = () => Promise<BlobStore>

/**
 * Registers the vitest tests every BlobStore must pass: put/get/has by pointer sha256(blob)[0:20],
 * idempotent put, absent blobs, PacketError PACKET_LENGTH for a blob that is not 120 bytes or a
 * pointer that is not 20, copies handed out, and a round-trip property test.
 * @param name names the implementation in the test titles.
 * @param makeStore makes a fresh, empty store per call.
 * @example
 * testBlobStore('my blob store', async () => myBlobStore())
 */
export function testBlobStore(name: string, makeStore: MakeBlobStore): void {
  describe(`BlobStore compliance: ${name}`, () => {
    const blob = (i: number): Uint8Array => {
      const b = new Uint8Array(120)
      b.set(sha256(new Uint8Array([i])))
      return b
    }

    it('puts and gets blobs by their pointer sha256(blob)[0:20]', async () => {
      const s = await makeStore()
      const ptr = await s.put(blob(1))
      expect(hex(ptr)).toBe(hex(sha256(blob(1)).subarray(0, 20)))
      expect(hex(ptr)).toBe(hex(blobPointer(blob(1))))
      expect(hex((await s.get(ptr))!)).toBe(hex(blob(1)))
      expect(await s.has(ptr)).toBe(true)
    })

    it('is idempotent', async () => {
      const s = await makeStore()
      const p1 = await s.put(blob(2))
      const p2 = await s.put(blob(2))
      expect(hex(p2)).toBe(hex(p1))
      expect(hex((await s.get(p1))!)).toBe(hex(blob(2)))
    })

    it('returns undefined / false for an absent blob', async () => {
      const s = await makeStore()
      const ptr = blobPointer(blob(3))
      expect(await s.get(ptr)).toBeUndefined()
      expect(await s.has(ptr)).toBe(false)
    })

    it('rejects blobs that are not 120 bytes and pointers that are not 20', async () => {
      const s = await makeStore()
      for (const n of [0, 119, 121]) await expectCode(s.put(new Uint8Array(n)), PacketError, 'PACKET_LENGTH')
      await expectCode(s.get(new Uint8Array(19)), PacketError, 'PACKET_LENGTH')
      await expectCode(s.has(new Uint8Array(21)), PacketError, 'PACKET_LENGTH')
    })

    it('hands out copies', async () => {
      const s = await makeStore()
      const b = blob(4)
      const ptr = await s.put(b)
      b.fill(0)
      ;(await s.get(ptr))!.fill(0)
      expect(hex((await s.get(ptr))!)).toBe(hex(blob(4)))
    })

    it('round-trips any 120-byte blob (property)', async () => {
      const s = await makeStore()
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 120, maxLength: 120 }), async (b) => {
          const ptr = await s.put(b)
          expect(hex((await s.get(ptr))!)).toBe(hex(b))
        }),
        { numRuns: 20 },
      )
    })
  })
}
