// verifyLogs: the verdict of checkLog for every log, with signatures checked in batches on the
// packet verify pool; damage of every kind, found at the same seq with the same code.
import { mulberry32 } from '@tinyssb/core'
import { genesisPosition, toHex, type LogInfo, type LogStore } from '@tinyssb/packet'
import { nobleEd25519 } from '@tinyssb/packet/noble'
import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { checkLog, fsLogStore, StoreError, verifyLogs, type VerifyLogsProgress } from '../src/index.js'
import { cleanTempDirs, Feed, tempDir, verifier } from './helpers.js'

cleanTempDirs()
const pool = parallelEd25519({ threads: 1 })
afterAll(() => pool.close())

type Log = { info: LogInfo; wires: (Uint8Array | undefined)[] }
type Store = Pick<LogStore, 'feeds' | 'info' | 'get'>

/** `count` logs of 1..max entries each (feeds seeded 1, 2, …), as plain data a test may damage. */
function makeLogs(count: number, max: number, rand: () => number): Map<string, Log> {
  const logs = new Map<string, Log>()
  for (let i = 0; i < count; i++) {
    const feed = new Feed(i + 1)
    const entries = feed.take(1 + Math.floor(rand() * max))
    const g = genesisPosition(feed.fid)
    const last = entries[entries.length - 1]!
    logs.set(toHex(feed.fid), {
      info: { fid: feed.fid, parentFid: undefined, parentSeq: 0, anchorSeq: 0, anchorMid: g.prev, frontSeq: last.seq, frontMid: last.mid },
      wires: entries.map((e) => e.wire.slice()),
    })
  }
  return logs
}

/** A read-only store over plain data (damaged as a test likes); `brokenHeader` logs throw STORE_CORRUPT. */
function storeOf(logs: Map<string, Log>, brokenHeader = new Set<string>()): Store {
  return {
    async *feeds() {
      for (const log of logs.values()) yield log.info.fid
    },
    async info(fid) {
      if (brokenHeader.has(toHex(fid))) throw new StoreError('STORE_CORRUPT', 'bad header')
      return logs.get(toHex(fid))?.info
    },
    async get(fid, seq) {
      return logs.get(toHex(fid))?.wires[seq - 1]
    },
  }
}

/** checkLog's verdict for every log, the reference verifyLogs must match. */
async function reference(store: Store, fids: Uint8Array[]) {
  return Promise.all(fids.map(async (fid) => ({ fid, check: await checkLog(store, fid, verifier) })))
}

describe('verifyLogs', () => {
  it('intact logs: ok, every entry counted, progress up to the totals', async () => {
    const logs = makeLogs(12, 40, mulberry32(1))
    const store = storeOf(logs)
    const seen: VerifyLogsProgress[] = []
    const r = await verifyLogs(store, { verifier: pool, batchSize: 16, onProgress: (p) => seen.push(p) })
    const total = [...logs.values()].reduce((n, l) => n + l.wires.length, 0)
    expect(r.ok).toBe(true)
    expect(r.entries).toBe(total)
    expect(r.results).toEqual(await reference(store, [...logs.values()].map((l) => l.info.fid)))
    expect(seen.length).toBeGreaterThan(2)
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.entries).toBeGreaterThanOrEqual(seen[i - 1]!.entries)
    expect(seen.at(-1)).toEqual({ feeds: 12, feedsTotal: 12, entries: total, entriesTotal: total })
  })

  it('finds each kind of damage at the seq and with the code checkLog gives', async () => {
    const logs = makeLogs(7, 30, mulberry32(2))
    const [sig, dmx, short, missing, front, header] = [...logs.values()]
    sig!.wires[9]![100]! ^= 1 // a bad signature in the middle
    dmx!.wires[4]![0]! ^= 1 // a DMX that does not chain
    short!.wires[2] = short!.wires[2]!.subarray(0, 119)
    missing!.wires[5] = undefined
    front!.info = { ...front!.info, frontMid: new Uint8Array(20) }
    const store = storeOf(logs, new Set([toHex(header!.info.fid)]))
    const r = await verifyLogs(store, { verifier: pool, batchSize: 8 })
    expect(r.ok).toBe(false)
    const ref = await reference(store, [...logs.values()].map((l) => l.info.fid))
    expect(r.results).toEqual(ref)
    expect(r.results.map((x) => (x.check.ok ? 'ok' : `${x.check.code}@${x.check.seq}`))).toEqual([
      'PACKET_SIGNATURE@10',
      'PACKET_DMX@5',
      'PACKET_LENGTH@3',
      'STORE_CORRUPT@6',
      `STORE_CORRUPT@${front!.info.frontSeq}`,
      'STORE_CORRUPT@0',
      'ok',
    ])
  })

  it('random damage (seeded): the same verdicts as checkLog, with and without verifyMany', async () => {
    const rand = mulberry32(3)
    for (let round = 0; round < 6; round++) {
      const logs = makeLogs(5, 25, rand)
      for (let k = 0; k < 4; k++) {
        const log = [...logs.values()][Math.floor(rand() * logs.size)]!
        const wire = log.wires[Math.floor(rand() * log.wires.length)]!
        wire[Math.floor(rand() * 120)]! ^= 1 << Math.floor(rand() * 8)
      }
      const store = storeOf(logs)
      const ref = await reference(store, [...logs.values()].map((l) => l.info.fid))
      expect((await verifyLogs(store, { verifier: pool, batchSize: 1 + Math.floor(rand() * 20) })).results, `round ${round}`).toEqual(ref)
      expect((await verifyLogs(store, { verifier: nobleEd25519 })).results, `round ${round}, noble`).toEqual(ref)
    }
  })

  it('a log that is not in the store is STORE_NOT_FOUND; the feeds option picks the logs', async () => {
    const logs = makeLogs(3, 5, mulberry32(4))
    const [a] = [...logs.values()]
    const absent = new Feed(99).fid
    const r = await verifyLogs(storeOf(logs), { verifier: pool, feeds: [absent, a!.info.fid] })
    expect(r.results.map((x) => x.check)).toEqual([
      { ok: false, seq: 0, code: 'STORE_NOT_FOUND', message: 'no such log' },
      { ok: true, entries: a!.wires.length, frontSeq: a!.wires.length },
    ])
  })

  it('on an fs store with its own pool (workers option), closed at the end', async () => {
    const dir = tempDir()
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
    const feeds = [new Feed(1), new Feed(2), new Feed(3)]
    for (const f of feeds) {
      await logs.create(f.fid)
      await logs.appendMany!(f.fid, 1, f.take(50).map((e) => e.wire))
    }
    const r = await verifyLogs(logs, { workers: 1, batchSize: 32 })
    expect(r.ok).toBe(true)
    expect(r.entries).toBe(150)
    expect(new Set(r.results.map((x) => toHex(x.fid)))).toEqual(new Set(feeds.map((f) => toHex(f.fid))))
    await logs.close()
  })
})
