// Crash repair on open, with torn writes simulated by cutting and extending log files by arbitrary
// byte counts (a real killed process is in crash.test.ts).
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fsLogStore, type LogRepair } from '../src/index.js'
import { cleanTempDirs, collect, Feed, hex, tempDir, verifier } from './helpers.js'

cleanTempDirs()

const N = 6
/** A node dir whose log holds N entries, plus the signed entries N+1 and N+2 not yet appended. */
async function fixture(seed = 21) {
  const dir = tempDir()
  const f = new Feed(seed)
  const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
  await logs.create(f.fid)
  const entries = f.take(N)
  for (const e of entries) await logs.append(f.fid, e.seq, e.wire)
  await logs.close()
  const more = f.take(2)
  const path = join(dir, '_logs', `${hex(f.fid)}.log`)
  const block = (i: number): Uint8Array => {
    const b = new Uint8Array(128)
    b.set(more[i]!.wire, 8)
    return b
  }
  return { dir, f, path, entries: [...entries, ...more], block }
}

async function reopen(dir: string, fid: Uint8Array) {
  const repairs: LogRepair[] = []
  const logs = await fsLogStore({ dir, verifier, onRepair: (r) => repairs.push(r) })
  const info = (await logs.info(fid))!
  const check = await logs.verify(fid)
  const wires = (await collect(logs.entries(fid))).map((e) => hex(e.wire))
  return { logs, info, check, wires, repairs }
}

describe('repair on open', () => {
  it('leaves an intact log alone', async () => {
    const { dir, f, path } = await fixture()
    const before = hex(readFileSync(path))
    const r = await reopen(dir, f.fid)
    expect(r.repairs).toEqual([])
    expect(hex(readFileSync(path))).toBe(before)
    await r.logs.close()
  })

  it('cuts a torn block of any length (killed while writing the block)', async () => {
    for (const k of [1, 7, 8, 64, 119, 127]) {
      const { dir, f, path, entries, block } = await fixture()
      appendFileSync(path, block(0).subarray(0, k))
      const r = await reopen(dir, f.fid)
      expect(r.info.frontSeq).toBe(N)
      expect(r.check.ok).toBe(true)
      expect(r.wires).toEqual(entries.slice(0, N).map((e) => hex(e.wire)))
      expect(statSync(path).size).toBe(128 * (N + 1))
      expect(r.repairs).toMatchObject([{ kind: 'partial-block', frontBefore: N, frontAfter: N, bytesCut: k }])
      await r.logs.append(f.fid, N + 1, entries[N]!.wire) // appends continue at the right place
      expect(await r.logs.verify(f.fid)).toEqual({ ok: true, entries: N + 1, frontSeq: N + 1 })
      await r.logs.close()
    }
  })

  it('rolls forward a complete block the header does not count yet (killed before the header write)', async () => {
    const { dir, f, path, entries, block } = await fixture()
    appendFileSync(path, block(0))
    appendFileSync(path, block(1).subarray(0, 50)) // and a torn one after it
    const r = await reopen(dir, f.fid)
    expect(r.info.frontSeq).toBe(N + 1)
    expect(hex(r.info.frontMid)).toBe(hex(entries[N]!.mid))
    expect(r.check).toEqual({ ok: true, entries: N + 1, frontSeq: N + 1 })
    expect(r.wires).toEqual(entries.slice(0, N + 1).map((e) => hex(e.wire)))
    expect(r.repairs.map((x) => x.kind)).toEqual(['partial-block', 'roll-forward'])
    await r.logs.close()
    // the header on disk was updated: a second open has nothing to repair
    expect((await reopen(dir, f.fid)).repairs).toEqual([])
  })

  it('cuts complete blocks after the front that are not the next entry', async () => {
    const { dir, f, path, entries, block } = await fixture()
    const torn = block(0)
    torn.fill(0, 60) // right DMX, signature never written (power loss)
    appendFileSync(path, torn)
    appendFileSync(path, block(1))
    appendFileSync(path, new Uint8Array(128 * 3))
    const r = await reopen(dir, f.fid)
    expect(r.info.frontSeq).toBe(N)
    expect(r.check.ok).toBe(true)
    expect(r.wires).toEqual(entries.slice(0, N).map((e) => hex(e.wire)))
    expect(r.repairs).toMatchObject([{ kind: 'invalid-tail', frontAfter: N, bytesCut: 128 * 5 }])
    expect(statSync(path).size).toBe(128 * (N + 1))
    await r.logs.close()
  })

  it('moves a front beyond the file back to the last valid entry (power loss without durable)', async () => {
    const { dir, f, path, entries } = await fixture()
    truncateSync(path, 128 * (N + 1) - 200) // header says N, file holds N-2 whole blocks and a piece
    const r = await reopen(dir, f.fid)
    expect(r.info.frontSeq).toBe(N - 2)
    expect(hex(r.info.frontMid)).toBe(hex(entries[N - 3]!.mid))
    expect(r.check).toEqual({ ok: true, entries: N - 2, frontSeq: N - 2 })
    expect(r.repairs.map((x) => x.kind)).toEqual(['partial-block', 'front-beyond-file'])
    await r.logs.close()
  })

  it('any cut or extension by arbitrary bytes opens to a valid prefix and keeps every whole entry (property)', async () => {
    const { path: p0, dir: d0, f } = await fixture(22)
    const original = readFileSync(p0)
    const extraBlocks = new Feed(22)
    extraBlocks.take(N)
    const [x1, x2] = extraBlocks.take(2)
    const tail = new Uint8Array(256)
    tail.set(x1!.wire, 8)
    tail.set(x2!.wire, 136)
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -(128 * N), max: 256 }),
        fc.oneof(fc.constant('valid' as const), fc.constant('zeros' as const), fc.constant('random' as const)),
        fc.uint8Array({ minLength: 256, maxLength: 256 }),
        async (delta, kind, rnd) => {
          const ext = kind === 'valid' ? tail : kind === 'zeros' ? new Uint8Array(256) : rnd
          const file = delta <= 0 ? original.subarray(0, original.length + delta) : Buffer.concat([original, ext.subarray(0, delta)])
          writeFileSync(p0, file)
          const r = await reopen(d0, f.fid)
          const whole = Math.floor((file.length - 128) / 128) // blocks fully present
          const expectFront = delta <= 0 ? whole : kind === 'valid' ? whole : N
          expect(r.info.frontSeq).toBe(expectFront)
          expect(r.check.ok).toBe(true)
          expect(statSync(p0).size).toBe(128 * (expectFront + 1))
          await r.logs.close()
        },
      ),
      { numRuns: 60 },
    )
  })
})
