// File-store specifics: opening, file names, damaged files, bounded open files, long logs.
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { formatLogHeader, fsLogStore, StoreError, type VerifiableLogStore } from '../src/index.js'
import { cleanTempDirs, collect, Feed, hex, tempDir, verifier } from './helpers.js'

cleanTempDirs()

const logPath = (dir: string, fid: Uint8Array): string => join(dir, '_logs', `${hex(fid)}.log`)

async function storeWith(feeds: Feed[], n: number): Promise<{ dir: string; logs: VerifiableLogStore }> {
  const dir = tempDir()
  const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
  for (const f of feeds) {
    await logs.create(f.fid)
    for (const e of f.take(n)) await logs.append(f.fid, e.seq, e.wire)
  }
  return { dir, logs }
}

describe('fsLogStore', () => {
  it('needs dir/_logs unless createIfMissing', async () => {
    const dir = tempDir()
    await expect(fsLogStore({ dir, verifier })).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_NOT_FOUND' })
    expect(existsSync(join(dir, '_logs'))).toBe(false)
    const logs = await fsLogStore({ dir: join(dir, 'data', 'nodeA'), verifier, createIfMissing: true })
    expect(existsSync(join(dir, 'data', 'nodeA', '_logs'))).toBe(true)
    await logs.close()
  })

  it('lists only files named <64 hex>.log', async () => {
    const f = new Feed(3)
    const { dir, logs } = await storeWith([f], 1)
    const d = join(dir, '_logs')
    for (const name of ['README', 'abc.log', `${hex(f.fid).toUpperCase()}.log`, `${hex(f.fid)}.log.123-ab.tmp`, `${'0'.repeat(63)}.log`]) {
      writeFileSync(join(d, name), 'x')
    }
    mkdirSync(join(d, `${'1'.repeat(64)}.logx`))
    expect((await collect(logs.feeds())).map(hex)).toEqual([hex(f.fid)])
    await logs.close()
  })

  it('persists across reopen and streams long logs in chunks', async () => {
    const f = new Feed(4)
    const { dir, logs } = await storeWith([f], 150)
    await logs.close()
    const again = await fsLogStore({ dir, verifier })
    const all = await collect(again.entries(f.fid))
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1))
    expect(hex(all[149]!.mid)).toBe(hex(f.prev))
    expect((await collect(again.entries(f.fid, 140))).map((e) => e.seq)).toEqual([140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150])
    expect(await again.verify(f.fid)).toEqual({ ok: true, entries: 150, frontSeq: 150 })
    expect(readFileSync(logPath(dir, f.fid)).length).toBe(128 * 151)
    await again.close()
  })

  it('keeps at most maxOpenLogs files open and reopens the others on use', async () => {
    const dir = tempDir()
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true, maxOpenLogs: 2 })
    const feeds = [5, 6, 7, 8].map((s) => new Feed(s))
    for (const f of feeds) await logs.create(f.fid)
    for (let round = 0; round < 3; round++) {
      for (const f of feeds) {
        const e = f.advance(f.plain())
        await logs.append(f.fid, e.seq, e.wire)
      }
    }
    // An iterator survives its log being closed and reopened between chunks.
    const it = logs.entries(feeds[0]!.fid)[Symbol.asyncIterator]()
    expect((await it.next()).value.seq).toBe(1)
    for (const f of feeds.slice(1)) await logs.info(f.fid)
    expect((await collect({ [Symbol.asyncIterator]: () => it })).map((e) => e.seq)).toEqual([2, 3])
    for (const f of feeds) expect(await logs.verify(f.fid)).toEqual({ ok: true, entries: 3, frontSeq: 3 })
    await logs.close()
  })

  it('creates a log file atomically: a 128-byte header, nothing else left in _logs', async () => {
    const dir = tempDir()
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true, durable: true })
    const f = new Feed(9)
    const info = await logs.create(f.fid, { parentFid: new Feed(10).fid, parentSeq: 5 })
    expect(hex(readFileSync(logPath(dir, f.fid)))).toBe(hex(formatLogHeader(info)))
    expect((await import('node:fs')).readdirSync(join(dir, '_logs'))).toEqual([`${hex(f.fid)}.log`])
    // another store instance (or process) created it meanwhile: STORE_EXISTS, not overwritten
    const other = await fsLogStore({ dir, verifier })
    await expect(other.create(f.fid)).rejects.toMatchObject({ code: 'STORE_EXISTS' })
    await other.close()
    await logs.close()
  })
})

describe('damaged log files give STORE_CORRUPT, and other logs keep working', () => {
  const good = new Feed(11)
  const bad = new Feed(12)
  const cases: [string, (path: string, header: Uint8Array) => void, RegExp][] = [
    ['an empty file', (p) => writeFileSync(p, new Uint8Array(0)), /0 bytes, shorter than the 128-byte header/],
    ['a 100-byte header', (p, h) => writeFileSync(p, h.subarray(0, 100)), /100 bytes, shorter than the 128-byte header/],
    ['random bytes', (p) => writeFileSync(p, randomBytes(1000)), /header holds feed|front seq|front mid/],
    ['the header of another feed', (p) => writeFileSync(p, formatLogHeader({ ...headerOf(good), fid: good.fid })), /header holds feed [0-9a-f]{64}, not the feed the file is named for/],
    ['front below anchor', (p, h) => { const x = h.slice(); x[83] = 9; writeFileSync(p, x) }, /front seq 0 is below anchor seq 9/],
    ['front = anchor with another mid', (p, h) => { const x = h.slice(); x[127]! ^= 1; writeFileSync(p, x) }, /front mid differs from anchor mid/],
  ]
  function headerOf(f: Feed) {
    return { fid: f.fid, parentFid: undefined, parentSeq: 0, anchorSeq: 0, anchorMid: f.fid.slice(0, 20), frontSeq: 0, frontMid: f.fid.slice(0, 20) }
  }
  it.each(cases)('%s', async (_label, damage, msg) => {
    const good = new Feed(11) // same fid, fresh seq
    const { dir, logs } = await storeWith([good], 3)
    await logs.create(bad.fid)
    await logs.close()
    damage(logPath(dir, bad.fid), formatLogHeader(headerOf(bad)))
    const s = await fsLogStore({ dir, verifier })
    for (const op of [() => s.info(bad.fid), () => s.get(bad.fid, 1), () => s.append(bad.fid, 1, bad.plain().wire), () => collect(s.entries(bad.fid)), () => s.create(bad.fid)]) {
      const err = await op().then(() => undefined, (e: unknown) => e)
      expect(err).toBeInstanceOf(StoreError)
      expect((err as StoreError).code).toBe('STORE_CORRUPT')
      expect((err as StoreError).message).toMatch(msg)
    }
    expect(await s.verify(bad.fid)).toMatchObject({ ok: false, code: 'STORE_CORRUPT' })
    expect((await collect(s.feeds())).length).toBe(2)
    expect(await s.verify(good.fid)).toEqual({ ok: true, entries: 3, frontSeq: 3 })
    const e = good.plain()
    await s.append(good.fid, 4, e.wire)
    await s.close()
  })

  it('reports a damaged entry through verify and entries()', async () => {
    const f = new Feed(13)
    const { dir, logs } = await storeWith([f], 5)
    await logs.close()
    const p = logPath(dir, f.fid)
    const buf = readFileSync(p)
    buf[128 * 3 + 8 + 100]! ^= 1 // signature of seq 3
    writeFileSync(p, buf)
    const s = await fsLogStore({ dir, verifier })
    expect(await s.verify(f.fid)).toMatchObject({ ok: false, seq: 3, code: 'PACKET_SIGNATURE' })
    buf[128 * 4 + 8]! ^= 1 // DMX of seq 4
    writeFileSync(p, buf)
    expect(await s.verify(f.fid)).toMatchObject({ ok: false, seq: 3, code: 'PACKET_SIGNATURE' })
    await expect(collect(s.entries(f.fid))).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/entry 4 does not chain/) })
    truncateSync(p, 128 * 3) // shorter than the open log's header says
    await expect(s.get(f.fid, 4)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    expect(await s.verify(f.fid)).toMatchObject({ ok: false, code: 'STORE_CORRUPT' })
    await s.close()
  })
})

describe('fsLogStore readOnly', () => {
  it('reads everything, writes nothing: create/append refused, no repair of a torn tail', async () => {
    const f = new Feed(21)
    const entries = new Feed(21).take(6) // the same feed, for reference
    const { dir, logs } = await storeWith([f], 5)
    await logs.close()
    const path = logPath(dir, f.fid)
    const torn = readFileSync(path).subarray(0, 128 * 5 + 77) // entry 5 torn, header still says 5
    writeFileSync(path, torn)
    const ro = await fsLogStore({ dir, verifier, readOnly: true })
    expect((await ro.info(f.fid))!.frontSeq).toBe(5)
    expect(hex((await ro.get(f.fid, 4))!)).toBe(hex(entries[3]!.wire))
    await expect(ro.get(f.fid, 5)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    expect(await ro.verify(f.fid)).toMatchObject({ ok: false, seq: 5 })
    await expect(ro.create(new Feed(22).fid)).rejects.toMatchObject({ code: 'STORE_READ_ONLY' })
    await expect(ro.append(f.fid, 6, entries[5]!.wire)).rejects.toMatchObject({ code: 'STORE_READ_ONLY' })
    await expect(ro.appendMany!(f.fid, 6, [entries[5]!.wire])).rejects.toMatchObject({ code: 'STORE_READ_ONLY' })
    await ro.close()
    expect(Buffer.compare(readFileSync(path), torn)).toBe(0) // untouched
    // a writer repairs it
    const repairs: string[] = []
    const rw = await fsLogStore({ dir, verifier, onRepair: (r) => repairs.push(r.kind) })
    expect((await rw.info(f.fid))!.frontSeq).toBe(4)
    expect(repairs).toEqual(['partial-block', 'front-beyond-file'])
    await rw.close()
  })

  it('does not create a missing _logs directory', async () => {
    const dir = tempDir()
    await expect(fsLogStore({ dir, verifier, readOnly: true, createIfMissing: true })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' })
    expect(existsSync(join(dir, '_logs'))).toBe(false)
  })
})

describe('appendMany onWritten (durable store)', () => {
  it('reports the write before the sync; the next appendMany, started then, lands after it', async () => {
    const dir = tempDir()
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true, durable: true })
    const f = new Feed(21)
    await logs.create(f.fid)
    const es = f.take(10)
    const order: string[] = []
    let second: Promise<unknown> | undefined
    const first = logs.appendMany!(f.fid, 1, es.slice(0, 5).map((e) => e.wire), {
      onWritten(res) {
        order.push(`written ${res.info.frontSeq}`)
        expect(res.appended).toBe(5)
        expect(res.info.frontMid).toEqual(es[4]!.mid)
        second = logs.appendMany!(f.fid, 6, es.slice(5).map((e) => e.wire)).then((r) => order.push(`second ${r.info.frontSeq}`))
      },
    }).then((r) => {
      order.push(`first ${r.info.frontSeq}`)
      return r
    })
    const r1 = await first
    await second
    expect(r1).toMatchObject({ appended: 5, info: { frontSeq: 5 } })
    expect(order[0]).toBe('written 5')
    expect(order).toContain('first 5')
    expect(order).toContain('second 10')
    expect((await logs.info(f.fid))!.frontSeq).toBe(10)
    expect((await collect(logs.entries(f.fid))).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    await logs.close()
  })

  it('a callback that throws does not break the append; a store that does not sync does not call it', async () => {
    const f = new Feed(22)
    const es = f.take(4)
    const durable = await fsLogStore({ dir: tempDir(), verifier, createIfMissing: true, durable: true })
    await durable.create(f.fid)
    const res = await durable.appendMany!(f.fid, 1, es.slice(0, 2).map((e) => e.wire), {
      onWritten() {
        throw new Error('bookkeeping bug')
      },
    })
    expect(res).toMatchObject({ appended: 2, info: { frontSeq: 2 } })
    await durable.close()
    const plain = await fsLogStore({ dir: tempDir(), verifier, createIfMissing: true })
    await plain.create(f.fid)
    let calls = 0
    await plain.appendMany!(f.fid, 1, es.map((e) => e.wire), { onWritten: () => void calls++ })
    expect(calls).toBe(0)
    expect((await plain.info(f.fid))!.frontSeq).toBe(4)
    await plain.close()
  })
})
