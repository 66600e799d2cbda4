// The LogStore compliance suite (docs/CONTRIBUTING.md "Compliance suites"): every LogStore
// implementation runs it. A factory makes a fresh, empty store per call. This module imports
// vitest and fast-check.
import fc from 'fast-check'
import { ENTRY_TYPE, PacketError, type Verifier } from '@tinyssb/packet'
import { afterEach, describe, expect, it } from 'vitest'
import { testGetRange } from './log-store-range.js'
import { collect, expectCode, expectLog, hex, suiteVerifier, TestFeed, type ErrorClass, type LogStoreUnderTest } from './store-fixtures.js'

/** Makes a fresh, empty log store that checks signatures with `verifier`. */
export type MakeLogStore = (verifier: Verifier) => Promise<LogStoreUnderTest>

/** Options of {@link testLogStore}. */
export interface LogStoreComplianceOptions {
  /**
   * The class of the store's own errors (STORE_SEQ, STORE_EXISTS, …), checked with instanceof,
   * e.g. `StoreError` of @tinyssb/repo. Default: any Error with the right `code`.
   */
  readonly storeError?: ErrorClass | undefined
}

// Signed once and shared: the suites only read them.
const FEED_A = new TestFeed(1)
const A = FEED_A.take(12)
const FEED_B = new TestFeed(2)
const B = FEED_B.take(3)
// Entries of several types: chain20 at every third seq, an unknown type byte at seq 5.
const FEED_C = new TestFeed(3)
const typeOfC = (seq: number): number => (seq % 3 === 0 ? ENTRY_TYPE.CHAIN20 : seq === 5 ? 0x7f : ENTRY_TYPE.PLAIN48)
const C = FEED_C.take(10, typeOfC)

/**
 * Registers the vitest tests every LogStore must pass: create (genesis and trust anchor), append
 * with seq, DMX and signature checks (StoreError STORE_SEQ / STORE_NOT_FOUND / STORE_EXISTS /
 * STORE_CLOSED codes, PacketError PACKET_LENGTH / PACKET_DMX / PACKET_SIGNATURE), appendMany when
 * present, get and entries with correct mids, several feeds, copies handed out, concurrent
 * appends, close, and a model-based property test. A store with `verify(fid)`, `entriesOfType`
 * or `getRange` has it checked too.
 * @param name names the implementation in the test titles.
 * @param makeStore makes a fresh, empty store per call (closed after each test).
 * @param options the class of the store's errors.
 * @example
 * testLogStore('my store', async (verifier) => myLogStore({ verifier }), { storeError: StoreError })
 */
export function testLogStore(name: string, makeStore: MakeLogStore, options: LogStoreComplianceOptions = {}): void {
  const StoreError = options.storeError
  describe(`LogStore compliance: ${name}`, () => {
    const open: LogStoreUnderTest[] = []
    const make = async (): Promise<LogStoreUnderTest> => {
      const s = await makeStore(suiteVerifier)
      open.push(s)
      return s
    }
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close()
    })
    const fid = FEED_A.fid

    it('creates a genesis log with the reference defaults', async () => {
      const s = await make()
      const info = await s.create(fid)
      const want = { fid, parentFid: undefined, parentSeq: 0, anchorSeq: 0, anchorMid: fid.slice(0, 20), frontSeq: 0, frontMid: fid.slice(0, 20) }
      expect(info).toEqual(want)
      expect(await s.info(fid)).toEqual(want)
      await expectCode(s.create(fid), StoreError, 'STORE_EXISTS')
    })

    it('creates a trust anchor / truncated sub-feed log with the given fields', async () => {
      const s = await make()
      const opts = { anchorSeq: 3, anchorMid: A[2]!.mid, parentFid: FEED_B.fid, parentSeq: 7 }
      const info = await s.create(fid, opts)
      expect(info).toEqual({ fid, ...opts, frontSeq: 3, frontMid: A[2]!.mid })
      expect(await s.get(fid, 3)).toBeUndefined()
      await expectCode(s.append(fid, 3, A[2]!.wire), StoreError, 'STORE_SEQ')
      await s.append(fid, 4, A[3]!.wire)
      await s.append(fid, 5, A[4]!.wire)
      expect(hex((await s.get(fid, 4))!)).toBe(hex(A[3]!.wire))
      const es = await collect(s.entries(fid))
      expect(es.map((e) => [e.seq, hex(e.prev), hex(e.mid)])).toEqual([3, 4].map((i) => [i + 1, hex(A[i - 1]!.mid), hex(A[i]!.mid)]))
    })

    it('treats an unknown feed as absent, and refuses to append to it', async () => {
      const s = await make()
      expect(await s.info(fid)).toBeUndefined()
      expect(await s.get(fid, 1)).toBeUndefined()
      await expectCode(s.append(fid, 1, A[0]!.wire), StoreError, 'STORE_NOT_FOUND')
      await expectCode(collect(s.entries(fid)), StoreError, 'STORE_NOT_FOUND')
      expect(await collect(s.feeds())).toEqual([])
    })

    it('appends, gets and streams entries with correct mids', async () => {
      const s = await make()
      await s.create(fid)
      for (const e of A) {
        const info = await s.append(fid, e.seq, e.wire)
        expect(info.frontSeq).toBe(e.seq)
        expect(hex(info.frontMid)).toBe(hex(e.mid))
      }
      for (const e of A) expect(hex((await s.get(fid, e.seq))!)).toBe(hex(e.wire))
      for (const seq of [0, -1, 1.5, A.length + 1, 2 ** 32]) expect(await s.get(fid, seq)).toBeUndefined()
      const all = await collect(s.entries(fid))
      expect(all.map((e) => [e.seq, hex(e.prev), hex(e.wire), hex(e.mid)])).toEqual(
        A.map((e) => [e.seq, hex(e.prev), hex(e.wire), hex(e.mid)]),
      )
      expect((await collect(s.entries(fid, 7))).map((e) => e.seq)).toEqual([7, 8, 9, 10, 11, 12])
      expect((await collect(s.entries(fid, 0))).length).toBe(12)
      expect(await collect(s.entries(fid, 13))).toEqual([])
      await expectLog(s, fid, A.map((e) => e.wire))
    })

    it('rejects wrong seqs with STORE_SEQ and bad entries with the PacketError of the check', async () => {
      const s = await make()
      await s.create(fid)
      await expectCode(s.append(fid, 2, A[1]!.wire), StoreError, 'STORE_SEQ')
      await expectCode(s.append(fid, 0, A[0]!.wire), StoreError, 'STORE_SEQ')
      await s.append(fid, 1, A[0]!.wire)
      await expectCode(s.append(fid, 1, A[0]!.wire), StoreError, 'STORE_SEQ')
      await expectCode(s.append(fid, 3, A[2]!.wire), StoreError, 'STORE_SEQ')
      await expectCode(s.append(fid, 2, A[1]!.wire.subarray(0, 119)), PacketError, 'PACKET_LENGTH')
      await expectCode(s.append(fid, 2, A[2]!.wire), PacketError, 'PACKET_DMX')
      await expectCode(s.append(fid, 2, B[1]!.wire), PacketError, 'PACKET_DMX')
      const flipped = A[1]!.wire.slice()
      flipped[100]! ^= 1
      await expectCode(s.append(fid, 2, flipped), PacketError, 'PACKET_SIGNATURE')
      expect((await s.info(fid))!.frontSeq).toBe(1)
      expect(await s.get(fid, 2)).toBeUndefined()
      await s.append(fid, 2, A[1]!.wire)
      await expectLog(s, fid, A.slice(0, 2).map((e) => e.wire))
    })

    it('appendMany appends the longest valid prefix in one go and says why it stopped', async () => {
      const s = await make()
      await s.create(fid)
      expect(s.appendMany).toBeTypeOf('function')
      await expectCode(s.appendMany!(fid, 2, [A[1]!.wire]), StoreError, 'STORE_SEQ')
      const all = await s.appendMany!(fid, 1, A.slice(0, 5).map((e) => e.wire))
      expect(all.appended).toBe(5)
      expect(all.error).toBeUndefined()
      expect(all.info.frontSeq).toBe(5)
      expect(hex(all.info.frontMid)).toBe(hex(A[4]!.mid))
      const flipped = A[7]!.wire.slice()
      flipped[60]! ^= 1
      const some = await s.appendMany!(fid, 6, [A[5]!.wire, A[6]!.wire, flipped, A[8]!.wire])
      expect(some.appended).toBe(2)
      expect(some.error).toBeInstanceOf(PacketError)
      expect((some.error as PacketError).code).toBe('PACKET_SIGNATURE')
      expect(some.info.frontSeq).toBe(7)
      const none = await s.appendMany!(fid, 8, [A[9]!.wire])
      expect(none.appended).toBe(0)
      expect((none.error as PacketError).code).toBe('PACKET_DMX')
      expect(await s.appendMany!(fid, 8, [])).toMatchObject({ appended: 0, info: { frontSeq: 7 } })
      await expectLog(s, fid, A.slice(0, 7).map((e) => e.wire))
      const streamed = await collect(s.entries(fid))
      expect(streamed.map((e) => hex(e.mid))).toEqual(A.slice(0, 7).map((e) => hex(e.mid)))
    })

    it('appendMany checks big batches like single appends (a bad signature late in the batch)', async () => {
      const s = await make()
      await s.create(fid)
      const wires = A.map((e) => e.wire)
      const bad = wires[9]!.slice()
      bad[70]! ^= 0x10
      const r = await s.appendMany!(fid, 1, [...wires.slice(0, 9), bad, ...wires.slice(10)])
      expect(r.appended).toBe(9)
      expect((r.error as PacketError).code).toBe('PACKET_SIGNATURE')
      expect(r.info.frontSeq).toBe(9)
      const rest = await s.appendMany!(fid, 10, wires.slice(9))
      expect(rest).toMatchObject({ appended: 3, info: { frontSeq: 12 } })
      await expectLog(s, fid, A.map((e) => e.wire))
    })

    it('serializes concurrent appends to one log', async () => {
      const s = await make()
      await s.create(fid)
      const results = await Promise.allSettled(A.flatMap((e) => [s.append(fid, e.seq, e.wire), s.append(fid, e.seq, e.wire)]))
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(A.length)
      for (const r of results) if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('STORE_SEQ')
      await expectLog(s, fid, A.map((e) => e.wire))
    })

    it('keeps logs of different feeds apart and lists them', async () => {
      const s = await make()
      await s.create(fid)
      await s.create(FEED_B.fid)
      for (const e of B) await s.append(FEED_B.fid, e.seq, e.wire)
      await s.append(fid, 1, A[0]!.wire)
      expect((await collect(s.feeds())).map(hex).sort()).toEqual([hex(fid), hex(FEED_B.fid)].sort())
      expect((await s.info(FEED_B.fid))!.frontSeq).toBe(3)
      expect((await s.info(fid))!.frontSeq).toBe(1)
    })

    it('hands out copies: changing returned bytes does not change the store', async () => {
      const s = await make()
      const info = await s.create(fid)
      info.frontMid.fill(0)
      info.fid.fill(0)
      await s.append(fid, 1, A[0]!.wire)
      ;(await s.get(fid, 1))!.fill(0)
      for await (const e of s.entries(fid)) e.prev.fill(0), e.mid.fill(0), e.wire.fill(0)
      expect(hex((await s.get(fid, 1))!)).toBe(hex(A[0]!.wire))
      await expectLog(s, fid, [A[0]!.wire])
    })

    it('entriesOfType (when present) yields the entries of one type from `from`, as copies, and follows appends', async () => {
      const s = await make()
      if (!s.entriesOfType) return expect(s.entriesOfType).toBeUndefined()
      const c = FEED_C.fid
      const ofType = async (type: number, from?: number, f = c) => (await collect(s.entriesOfType!(f, type, from))).map((e) => [e.seq, hex(e.wire)])
      const want = (type: number, upTo: number, from = 1) => C.filter((e) => e.seq >= from && e.seq <= upTo && typeOfC(e.seq) === type).map((e) => [e.seq, hex(e.wire)])
      await expectCode(collect(s.entriesOfType(c, ENTRY_TYPE.CHAIN20)), StoreError, 'STORE_NOT_FOUND')
      await s.create(c)
      expect(await ofType(ENTRY_TYPE.CHAIN20)).toEqual([])
      for (const e of C.slice(0, 7)) await s.append(c, e.seq, e.wire)
      expect(await ofType(ENTRY_TYPE.CHAIN20)).toEqual(want(ENTRY_TYPE.CHAIN20, 7))
      expect(await ofType(0x7f)).toEqual(want(0x7f, 7))
      expect(await ofType(ENTRY_TYPE.PLAIN48)).toEqual(want(ENTRY_TYPE.PLAIN48, 7))
      expect(await ofType(ENTRY_TYPE.CHAIN20, 4)).toEqual(want(ENTRY_TYPE.CHAIN20, 7, 4))
      expect(await ofType(0x42)).toEqual([])
      for await (const e of s.entriesOfType(c, ENTRY_TYPE.CHAIN20)) e.wire.fill(0)
      expect(await ofType(ENTRY_TYPE.CHAIN20)).toEqual(want(ENTRY_TYPE.CHAIN20, 7))
      await s.appendMany!(c, 8, C.slice(7).map((e) => e.wire))
      expect(await ofType(ENTRY_TYPE.CHAIN20)).toEqual(want(ENTRY_TYPE.CHAIN20, 10))
      // a trust anchor: only what follows it
      await s.create(FEED_A.fid, { anchorSeq: 2, anchorMid: A[1]!.mid })
      for (const e of A.slice(2, 6)) await s.append(FEED_A.fid, e.seq, e.wire)
      expect((await ofType(ENTRY_TYPE.PLAIN48, undefined, FEED_A.fid)).map(([seq]) => seq)).toEqual([3, 4, 5, 6])
      await s.close()
      await expectCode(collect(s.entriesOfType(c, ENTRY_TYPE.CHAIN20)), StoreError, 'STORE_CLOSED')
    })

    testGetRange(make, StoreError)

    it('reports a missing log through verify (when the store has verify)', async () => {
      const s = await make()
      if (s.verify) expect(await s.verify(fid)).toMatchObject({ ok: false, code: 'STORE_NOT_FOUND' })
      else expect(await s.info(fid)).toBeUndefined()
    })

    it('refuses every operation after close', async () => {
      const s = await make()
      await s.create(fid)
      await s.close()
      await expectCode(s.info(fid), StoreError, 'STORE_CLOSED')
      await expectCode(s.get(fid, 1), StoreError, 'STORE_CLOSED')
      await expectCode(s.append(fid, 1, A[0]!.wire), StoreError, 'STORE_CLOSED')
      await expectCode(s.create(FEED_B.fid), StoreError, 'STORE_CLOSED')
      await expectCode(collect(s.feeds()), StoreError, 'STORE_CLOSED')
      await s.close() // twice is fine
    })

    it('matches a plain array model under random valid and invalid appends', async () => {
      const cmd = fc.oneof(
        fc.constant({ op: 'next' as const }),
        fc.record({ op: fc.constant('seq' as const), delta: fc.integer({ min: -3, max: 3 }).filter((d) => d !== 1) }),
        fc.record({ op: fc.constant('flip' as const), bit: fc.nat(120 * 8 - 1) }),
        fc.record({ op: fc.constant('other' as const) }),
        fc.record({ op: fc.constant('get' as const), seq: fc.integer({ min: -1, max: A.length + 1 }) }),
      )
      await fc.assert(
        fc.asyncProperty(fc.array(cmd, { maxLength: 30 }), async (cmds) => {
          const s = await make()
          await s.create(fid)
          const model: Uint8Array[] = []
          for (const c of cmds) {
            const next = model.length + 1
            const e = A[model.length]
            if (c.op === 'next') {
              if (!e) continue
              await s.append(fid, next, e.wire)
              model.push(e.wire)
            } else if (c.op === 'seq' && e) {
              const seq = next + c.delta - 1
              await expectCode(s.append(fid, seq, A[Math.max(0, Math.min(A.length - 1, seq - 1))]!.wire), StoreError, 'STORE_SEQ')
            } else if (c.op === 'flip' && e) {
              const w = e.wire.slice()
              w[c.bit >> 3]! ^= 1 << (c.bit & 7)
              await expectCode(s.append(fid, next, w), PacketError, c.bit < 56 ? 'PACKET_DMX' : 'PACKET_SIGNATURE')
            } else if (c.op === 'other' && e) {
              await expectCode(s.append(fid, next, (B[model.length] ?? B[0]!).wire), PacketError, 'PACKET_DMX')
            } else if (c.op === 'get') {
              const got = await s.get(fid, c.seq)
              const want = c.seq >= 1 ? model[c.seq - 1] : undefined
              expect(got && hex(got)).toBe(want && hex(want))
            }
            const info = (await s.info(fid))!
            expect(info.frontSeq).toBe(model.length)
          }
          const all = await collect(s.entries(fid))
          expect(all.map((x) => hex(x.wire))).toEqual(model.map(hex))
          await s.close()
        }),
        { numRuns: 25 },
      )
    })
  })
}
