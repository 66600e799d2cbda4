// LogStore.getRange of the repo stores beyond the compliance suite: the cap of one call, and a file
// cut short under an open log (STORE_CORRUPT, as get).
import { truncateSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fsLogStore, LOGS_DIR, memoryLogStore, StoreError, type VerifiableLogStore } from '../src/index.js'
import { MAX_RANGE_ENTRIES, rangeLength } from '../src/range.js'
import { cleanTempDirs, Feed, hex, tempDir, verifier } from './helpers.js'

cleanTempDirs()
const feed = new Feed(9)
const E = feed.take(MAX_RANGE_ENTRIES + 5)
const wires = (from: number, n: number): string[] => E.slice(from - 1, from - 1 + n).map((e) => hex(e.wire))

const stores: [string, () => Promise<VerifiableLogStore>][] = [
  ['memoryLogStore', async () => memoryLogStore({ verifier })],
  ['fsLogStore', () => fsLogStore({ dir: tempDir(), verifier, createIfMissing: true })],
]

describe.each(stores)('getRange of %s', (_, make) => {
  it('returns at most MAX_RANGE_ENTRIES wires per call, however many are asked for', async () => {
    const s = await make()
    await s.create(feed.fid)
    await s.appendMany!(feed.fid, 1, E.map((e) => e.wire))
    for (const count of [MAX_RANGE_ENTRIES + 1, 1e12, Infinity]) {
      expect((await s.getRange(feed.fid, 1, count)).map(hex)).toEqual(wires(1, MAX_RANGE_ENTRIES))
    }
    expect((await s.getRange(feed.fid, 1 + MAX_RANGE_ENTRIES, Infinity)).map(hex)).toEqual(wires(1 + MAX_RANGE_ENTRIES, 5))
    expect((await s.getRange(feed.fid, 3, MAX_RANGE_ENTRIES)).map(hex)).toEqual(wires(3, MAX_RANGE_ENTRIES))
    await s.close()
  })
})

describe('rangeLength', () => {
  it('counts what is held from `from`, within count and the cap', () => {
    const log = { anchorSeq: 2, frontSeq: 10 }
    expect(rangeLength(log, 3, 4)).toBe(4)
    expect(rangeLength(log, 8, 4)).toBe(3)
    expect([rangeLength(log, 2, 4), rangeLength(log, 11, 1), rangeLength(log, 3, 0), rangeLength(log, 3, NaN), rangeLength(log, 3.5, 2)]).toEqual([0, 0, 0, 0, 0])
    expect(rangeLength({ anchorSeq: 0, frontSeq: 1e6 }, 1, Infinity)).toBe(MAX_RANGE_ENTRIES)
  })
})

describe('getRange of fsLogStore on a file cut short under it', () => {
  it('throws STORE_CORRUPT naming the first entry missing, as get does', async () => {
    const dir = tempDir()
    const s = await fsLogStore({ dir, verifier, createIfMissing: true })
    await s.create(feed.fid)
    await s.appendMany!(feed.fid, 1, E.slice(0, 6).map((e) => e.wire))
    expect((await s.getRange(feed.fid, 1, 6)).map(hex)).toEqual(wires(1, 6)) // the log is open now
    truncateSync(join(dir, LOGS_DIR, `${hex(feed.fid)}.log`), 128 + 4 * 128 + 50) // entry 5 cut, 6 gone
    const err = await s.getRange(feed.fid, 2, 5).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect((err as StoreError).code).toBe('STORE_CORRUPT')
    expect((err as Error).message).toMatch(/entry 5 is cut short \(50 of 128 bytes\)/)
    expect((await s.getRange(feed.fid, 2, 3)).map(hex)).toEqual(wires(2, 3))
    await expect(s.get(feed.fid, 5)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    await s.close()
  })
})
