// The blob request planner: first missing blob of each chain, credit for the rest of the chain.
import { describe, expect, it } from 'vitest'
import {
  BLOB_CREDIT_MAX,
  blobPointer,
  chainStatus,
  encodeSidechain,
  planBlobRequests,
  sidechainBlobCount,
  type BlobLookup,
} from '../src/index.js'
import { hex } from './vectors.js'

const content = (n: number, fill = 0x61): Uint8Array => new Uint8Array(n).fill(fill)
/** A lookup over `blobs` without those at the indexes given; sync or async. */
const lookupOf = (blobs: Uint8Array[], without: number[] = [], async = false): BlobLookup => {
  const m = new Map(blobs.filter((_, i) => !without.includes(i)).map((b) => [hex(blobPointer(b)), b]))
  return async ? async (p) => m.get(hex(p)) : (p) => m.get(hex(p))
}

describe('sidechainBlobCount', () => {
  it.each([0, 1, 27, 28, 127, 128, 129, 253, 254, 1000, 5000, 70000])('%i content bytes: as many blobs as encodeSidechain makes', (n) => {
    const sc = encodeSidechain(content(n))
    expect(sidechainBlobCount(sc.payload48)).toBe(sc.blobs.length)
  })

  it('refuses a length over maxBytes', () => {
    const sc = encodeSidechain(content(5000))
    expect(() => sidechainBlobCount(sc.payload48, { maxBytes: 4999 })).toThrow(expect.objectContaining({ code: 'CHAIN_TOO_LONG' }))
  })
})

describe('chainStatus', () => {
  const sc = encodeSidechain(content(1000)) // 10 blobs
  it('complete, or the first missing blob with the blobs left from it', async () => {
    expect(sc.blobs).toHaveLength(10)
    expect(await chainStatus({ payload48: sc.payload48 }, lookupOf(sc.blobs))).toEqual({ complete: true, held: 10 })
    for (const gap of [0, 3, 9]) {
      const s = await chainStatus({ payload48: sc.payload48 }, lookupOf(sc.blobs, [gap], gap === 3))
      expect(s).toEqual({ complete: false, held: gap, missing: blobPointer(sc.blobs[gap]!), remaining: 10 - gap })
    }
    expect(await chainStatus({ payload48: encodeSidechain(content(20)).payload48 }, lookupOf([]))).toEqual({ complete: true, held: 0 })
  })

  it('from a pointer: to the end of the chain, with or without the count', async () => {
    const third = blobPointer(sc.blobs[2]!)
    expect(await chainStatus({ ptr: third }, lookupOf(sc.blobs))).toEqual({ complete: true, held: 8 })
    expect(await chainStatus({ ptr: third, remaining: 8 }, lookupOf(sc.blobs, [5]))).toMatchObject({ held: 3, remaining: 5 })
    expect(await chainStatus({ ptr: third }, lookupOf(sc.blobs, [5]))).toMatchObject({ held: 3, remaining: undefined })
    expect(await chainStatus({ ptr: new Uint8Array(20) }, lookupOf([]))).toEqual({ complete: true, held: 0 })
  })

  it('a held blob that does not match its pointer, or a chain shorter than announced: CHAIN_BLOB', async () => {
    const bad = sc.blobs.slice()
    const wrong = new Map(bad.map((b) => [hex(blobPointer(b)), b]))
    wrong.set(hex(blobPointer(sc.blobs[1]!)), sc.blobs[2]!)
    await expect(chainStatus({ payload48: sc.payload48 }, (p) => wrong.get(hex(p)))).rejects.toMatchObject({ code: 'CHAIN_BLOB' })
    const short = encodeSidechain(content(300)) // 3 blobs; the payload claims 1000 bytes
    const lying = sc.payload48.slice()
    lying.set(short.payload48.subarray(28), 28)
    await expect(chainStatus({ payload48: lying }, lookupOf(short.blobs))).rejects.toMatchObject({ code: 'CHAIN_BLOB' })
  })
})

describe('planBlobRequests', () => {
  it('one record per incomplete chain: its first missing blob, credit = the rest (capped)', async () => {
    const small = encodeSidechain(content(450, 1)) // 5 blobs
    const large = encodeSidechain(content(4000, 2)) // 40 blobs
    const done = encodeSidechain(content(200, 3))
    const blobs = [...small.blobs, ...large.blobs, ...done.blobs]
    const lookup = lookupOf(blobs, [1, 5 + 10]) // small misses its blob 1, large its blob 10
    const plan = await planBlobRequests([{ payload48: small.payload48 }, { payload48: large.payload48 }, { payload48: done.payload48 }], lookup)
    expect(plan.records.map((r) => [hex(r.ptr), r.credit])).toEqual([
      [hex(blobPointer(small.blobs[1]!)), 4],
      [hex(blobPointer(large.blobs[10]!)), BLOB_CREDIT_MAX],
    ])
    expect(plan.chains.map((c) => c.complete)).toEqual([false, false, true])
    const lower = await planBlobRequests([{ payload48: large.payload48 }], lookup, { maxCredit: 4 })
    expect(lower.records[0]!.credit).toBe(4)
  })

  it('merges chains that need the same blob, and reports unreadable chains without a record', async () => {
    const sc = encodeSidechain(content(300))
    const lying = encodeSidechain(content(1000)).payload48.slice()
    lying.set(sc.payload48.subarray(28), 28) // claims 10 blobs, the chain has 3
    const plan = await planBlobRequests(
      [{ payload48: sc.payload48 }, { ptr: blobPointer(sc.blobs[0]!) }, { payload48: lying }],
      lookupOf(sc.blobs, [0]),
    )
    expect(plan.records).toEqual([{ ptr: blobPointer(sc.blobs[0]!), credit: BLOB_CREDIT_MAX }])
    expect(plan.chains[2]).toMatchObject({ complete: false, held: 0, remaining: 10 }) // its lie shows only later
    const full = await planBlobRequests([{ payload48: lying }], lookupOf(sc.blobs))
    expect(full.chains).toEqual([{ complete: false, error: 'CHAIN_BLOB' }])
  })
})
