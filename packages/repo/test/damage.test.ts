// Damage in the middle of a log: found before the first append (a chain check:
// DMX and mids, no signatures) or by verify, and no append is accepted on top of it until repair().
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { entryMid, TinySSBError, type Entry } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { fsLogStore, type LogRepair } from '../src/index.js'
import { cleanTempDirs, collect, Feed, hex, tempDir, verifier } from './helpers.js'

cleanTempDirs()

const logPath = (dir: string, fid: Uint8Array): string => join(dir, '_logs', `${hex(fid)}.log`)
const N = 12
// One feed for every test: N entries in the log, entry N+1 to offer on top.
const feed = new Feed(31)
const entries: Entry[] = feed.take(N + 1)

/** A node directory whose log of `feed` holds entries 1..n; returns the dir and the file's bytes. */
async function logOf(n = N): Promise<{ dir: string; file: Buffer }> {
  const dir = tempDir()
  const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
  await logs.create(feed.fid)
  for (const e of entries.slice(0, n)) await logs.append(feed.fid, e.seq, e.wire)
  await logs.close()
  return { dir, file: readFileSync(logPath(dir, feed.fid)) }
}
/** Offset of byte `i` of the wire of entry `seq` in the file (anchor 0). */
const at = (seq: number, i: number): number => 128 * seq + 8 + i

describe('a log damaged in the middle takes no appends until repaired', () => {
  it('a changed entry: reads still work, appends are STORE_DAMAGED, repair() cuts to the valid prefix', async () => {
    const { dir, file } = await logOf()
    file[at(7, 20)]! ^= 0x40 // the payload of entry 7: its mid changes, entry 8 no longer chains
    writeFileSync(logPath(dir, feed.fid), file)
    const repairs: LogRepair[] = []
    const logs = await fsLogStore({ dir, verifier, onRepair: (r) => repairs.push(r) })
    expect((await logs.info(feed.fid))!.frontSeq).toBe(N) // opening is cheap and refuses nothing
    expect(hex((await logs.get(feed.fid, 3))!)).toBe(hex(entries[2]!.wire))
    const next = entries[N]!
    for (const append of [() => logs.append(feed.fid, N + 1, next.wire), () => logs.appendMany!(feed.fid, N + 1, [next.wire])]) {
      await expect(append()).rejects.toMatchObject({
        name: 'StoreError',
        code: 'STORE_DAMAGED',
        message: expect.stringMatching(/damaged at entry 8 \(PACKET_DMX: does not chain\); appends are refused until it is repaired/),
      })
    }
    expect(await logs.verify(feed.fid)).toMatchObject({ ok: false, seq: 7, code: 'PACKET_SIGNATURE' })
    const r = await logs.repair(feed.fid)
    expect(r).toEqual({ path: logPath(dir, feed.fid), fid: feed.fid, kind: 'damaged-middle', frontBefore: N, frontAfter: 6, bytesCut: 128 * (N - 6) })
    expect(repairs).toEqual([r])
    expect(readFileSync(logPath(dir, feed.fid)).length).toBe(128 * 7)
    for (const e of entries.slice(6)) await logs.append(feed.fid, e.seq, e.wire) // fetched again
    expect(await logs.verify(feed.fid)).toEqual({ ok: true, entries: N + 1, frontSeq: N + 1 })
    expect(await logs.repair(feed.fid)).toBeUndefined() // intact: nothing to do
    await logs.close()
  })

  it('a forged last entry (chain intact) is found by verify, which then refuses appends', async () => {
    const { dir, file } = await logOf()
    const wire = new Uint8Array(file.subarray(at(N, 0), at(N, 120)))
    wire[100]! ^= 1 // a signature that does not verify, with a header that agrees with it
    file.set(wire, at(N, 0))
    file.set(entryMid({ fid: feed.fid, seq: N, prev: entries[N - 2]!.mid }, wire), 108)
    writeFileSync(logPath(dir, feed.fid), file)
    const logs = await fsLogStore({ dir, verifier, maxOpenLogs: 1 })
    await expect(logs.append(feed.fid, N + 1, entries[N]!.wire)).rejects.toMatchObject({ code: 'PACKET_DMX' }) // the chain check passed
    expect(await logs.verify(feed.fid)).toMatchObject({ ok: false, seq: N, code: 'PACKET_SIGNATURE' })
    await expect(logs.append(feed.fid, N + 1, entries[N]!.wire)).rejects.toMatchObject({ code: 'STORE_DAMAGED', message: expect.stringMatching(/at entry 12 \(PACKET_SIGNATURE/) })
    // still known after the log was closed to make room for another one and reopened
    const other = new Feed(32)
    await logs.create(other.fid)
    await expect(logs.append(feed.fid, N + 1, entries[N]!.wire)).rejects.toMatchObject({ code: 'STORE_DAMAGED' })
    // a file restored from elsewhere is checked again: no repair needed
    await logs.get(other.fid, 1) // opens the other log, closing this one (info() reads a closed log's header without keeping it open)
    writeFileSync(logPath(dir, feed.fid), (await logOf()).file)
    expect(await logs.append(feed.fid, N + 1, entries[N]!.wire)).toMatchObject({ frontSeq: N + 1 })
    await logs.close()
  })

  it('readOnly stores neither check nor repair; verify still reports the damage', async () => {
    const { dir, file } = await logOf()
    file[at(2, 0)]! ^= 1 // the DMX of entry 2
    writeFileSync(logPath(dir, feed.fid), file)
    const ro = await fsLogStore({ dir, verifier, readOnly: true })
    expect(await ro.verify(feed.fid)).toMatchObject({ ok: false, seq: 2, code: 'PACKET_DMX' })
    await expect(ro.repair(feed.fid)).rejects.toMatchObject({ code: 'STORE_READ_ONLY' })
    await ro.close()
  })

  // A mutation: flip bytes, cut the file short, or copy one block over another.
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('copy' as const), from: fc.nat(N), to: fc.nat(N) }),
  )
  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never
  function mutate(file: Buffer, m: Mutation): { bytes: Buffer; onlyReserved: boolean } {
    const b = Buffer.from(file)
    if (m.kind === 'cut') return { bytes: b.subarray(0, m.at % b.length), onlyReserved: false }
    if (m.kind === 'copy') {
      b.copy(b, 128 * m.to, 128 * m.from, 128 * m.from + 128)
      return { bytes: b, onlyReserved: m.from === m.to }
    }
    let onlyReserved = true
    for (const [pos, x] of m.flips) {
      const i = pos % b.length
      b[i]! ^= x
      // bytes nobody reads: the header's reserved 12 and parent fields, each block's 8 zero bytes
      const reserved = i < 128 ? i < 12 || (i >= 44 && i < 80) : (i - 128) % 128 < 8
      onlyReserved &&= reserved
    }
    return { bytes: b, onlyReserved }
  }

  it('no append is accepted on top of a damaged log (mutated log files, property)', { timeout: 60_000 }, async () => {
    const { file } = await logOf()
    const outcomes = { accepted: 0, refused: 0 }
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const { bytes, onlyReserved } = mutate(file, m)
        const dir = tempDir()
        const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
        writeFileSync(logPath(dir, feed.fid), bytes)
        // offer the entry after whatever front the store shows (crash repair may have moved it back)
        let front = N
        const accepted = await (async () => {
          front = (await logs.info(feed.fid))!.frontSeq
          const next = entries[front]
          return next ? (await logs.append(feed.fid, next.seq, next.wire), true) : false
        })().catch((err: unknown) => {
          if (!(err instanceof TinySSBError)) throw err // only typed errors, never a crash
          return false
        })
        await logs.close()
        outcomes[accepted ? 'accepted' : 'refused']++
        if (onlyReserved) expect(accepted).toBe(true) // harmless changes are no reason to refuse
        if (!accepted) return
        // accepted: the log, re-read from scratch, is the feed's own entries 1..front+1, every one valid
        const ro = await fsLogStore({ dir, verifier, readOnly: true })
        expect(await ro.verify(feed.fid)).toEqual({ ok: true, entries: front + 1, frontSeq: front + 1 })
        expect((await collect(ro.entries(feed.fid))).map((e) => hex(e.wire))).toEqual(entries.slice(0, front + 1).map((e) => hex(e.wire)))
        await ro.close()
      }),
      { seed: 13_08, numRuns: 300 },
    )
    // both outcomes occur, so the property is not vacuous
    expect(outcomes.accepted).toBeGreaterThan(20)
    expect(outcomes.refused).toBeGreaterThan(100)
  })
})
