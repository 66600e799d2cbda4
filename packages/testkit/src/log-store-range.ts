// The getRange part of the LogStore compliance suite (registered by testLogStore when the store has
// getRange): consecutive wires from `from`, [] for what is not held, bounded, copies.
import { expect, it } from 'vitest'
import { expectCode, hex, TestFeed, type ErrorClass, type LogStoreUnderTest } from './store-fixtures.js'

const FEED = new TestFeed(4)
const E = FEED.take(12)
const wiresOf = (from: number, n: number): string[] => E.slice(from - 1, from - 1 + n).map((e) => hex(e.wire))

/** Registers the getRange tests; `make` gives a fresh, empty store (closed by the suite). */
export function testGetRange(make: () => Promise<LogStoreUnderTest>, StoreError: ErrorClass | undefined): void {
  const fid = FEED.fid

  it('getRange (when present) returns consecutive wires from `from` while held, at most `count`', async () => {
    const s = await make()
    if (!s.getRange) return expect(s.getRange).toBeUndefined()
    const range = async (from: number, count: number): Promise<string[]> => (await s.getRange!(fid, from, count)).map(hex)
    expect(await s.getRange(fid, 1, 5)).toEqual([]) // unknown feed
    await s.create(fid)
    expect(await range(1, 5)).toEqual([]) // empty log
    await s.appendMany!(fid, 1, E.map((e) => e.wire))
    expect(await range(1, 12)).toEqual(wiresOf(1, 12))
    expect(await range(3, 4)).toEqual(wiresOf(3, 4))
    expect(await range(12, 1)).toEqual(wiresOf(12, 1))
    expect(await range(10, 5)).toEqual(wiresOf(10, 3)) // past the front: what is held
    for (const [from, count] of [[13, 5], [0, 5], [-1, 3], [1.5, 2], [NaN, 2], [1, 0], [1, -1], [1, NaN], [1, 0.5]] as const) {
      expect(await range(from, count), `getRange(${from}, ${count})`).toEqual([])
    }
    expect(await range(2, 2.9)).toEqual(wiresOf(2, 2)) // a fractional count rounds down
    // a huge count is bounded by the entries held (a store may cap one call: a prefix, never empty)
    for (const count of [1e9, Number.MAX_SAFE_INTEGER, Infinity]) {
      const got = await range(1, count)
      expect(got.length).toBeGreaterThan(0)
      expect(got).toEqual(wiresOf(1, got.length))
    }
  })

  it('getRange (when present) follows appends, asks again where a capped call stopped, and hands out copies', async () => {
    const s = await make()
    if (!s.getRange) return expect(s.getRange).toBeUndefined()
    await s.create(fid)
    for (const e of E.slice(0, 4)) await s.append(fid, e.seq, e.wire)
    expect((await s.getRange(fid, 3, 100)).map(hex)).toEqual(wiresOf(3, 2))
    await s.appendMany!(fid, 5, E.slice(4).map((e) => e.wire))
    const all: string[] = []
    for (let got = await s.getRange(fid, 1, 100); got.length > 0; got = await s.getRange(fid, 1 + all.length, 100)) all.push(...got.map(hex))
    expect(all).toEqual(wiresOf(1, 12))
    for (const w of await s.getRange(fid, 1, 3)) w.fill(0)
    expect((await s.getRange(fid, 1, 3)).map(hex)).toEqual(wiresOf(1, 3))
    expect(hex((await s.get(fid, 2))!)).toBe(wiresOf(2, 1)[0])
  })

  it('getRange (when present) starts after a trust anchor and refuses to run after close', async () => {
    const s = await make()
    if (!s.getRange) return expect(s.getRange).toBeUndefined()
    await s.create(fid, { anchorSeq: 3, anchorMid: E[2]!.mid })
    for (const e of E.slice(3, 6)) await s.append(fid, e.seq, e.wire)
    expect(await s.getRange(fid, 3, 4)).toEqual([]) // the anchor itself is not held
    expect((await s.getRange(fid, 4, 10)).map(hex)).toEqual(wiresOf(4, 3))
    await s.close()
    await expectCode(s.getRange(fid, 4, 1), StoreError, 'STORE_CLOSED')
  })
}
