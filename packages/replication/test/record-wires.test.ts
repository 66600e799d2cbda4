// Consecutive WANT records are read with one LogStore.getRange: the WANT server sends exactly what
// it sent with one get per record (same frames, same order, same cuts by budget, credit, dedup).
import { fakeClock, type Face, type PeerId } from '@tinyssb/core'
import { encodeWant, toHex, wantDmx, type LogStore, type WantRecord } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { createContext } from '../src/context.js'
import { resolveFaces } from '../src/faces.js'
import { bkey } from '../src/keys.js'
import { RecordWires } from '../src/record-wires.js'
import { FrameRouter } from '../src/router.js'
import { WantServer } from '../src/want-server.js'
import { produce, signerFor, stores } from './helpers.js'

const A = signerFor(40).publicKey
const B = signerFor(41).publicKey

/** A memory store holding 10 entries of A and 3 of B, counting its reads; `range: false` hides getRange. */
async function store(opts: { range: boolean; failRange?: boolean } = { range: true }) {
  const logs = stores().logs
  await produce(logs, signerFor(40), 10)
  await produce(logs, signerFor(41), 3)
  const reads = { get: 0, range: [] as string[] }
  const counted: LogStore = {
    ...logs,
    get: (fid, seq) => (reads.get++, logs.get(fid, seq)),
    getRange: opts.range
      ? async (fid, from, count) => {
          reads.range.push(`${fid === A || toHex(fid) === toHex(A) ? 'A' : 'B'}${from}+${count}`)
          if (opts.failRange) throw new Error('disk on fire')
          return logs.getRange(fid, from, count)
        }
      : undefined,
  }
  return { logs: counted, reads, plain: logs }
}

const rec = (fid: Uint8Array, ...seqs: number[]): WantRecord[] => seqs.map((seq) => ({ fid, seq }))
const RECORDS = [...rec(A, 1, 2, 3, 4, 5, 6), ...rec(B, 1, 2), ...rec(A, 8), ...rec(A, 9, 10, 11, 12), ...rec(A, 0, 1), ...rec(A, 9, 9), ...rec(B, 3)]

describe('RecordWires', () => {
  it('reads each run of consecutive records of one feed with one getRange, singles with get', async () => {
    const { logs, reads, plain } = await store()
    const wires = new RecordWires(logs, RECORDS, RECORDS.map((r) => bkey(r.fid)))
    const got: (string | undefined)[] = []
    const hexOf = (w: Uint8Array | undefined): string | undefined => w && toHex(w)
    for (let i = 0; i < RECORDS.length; i++) got.push(hexOf(await wires.get(i)))
    const want = await Promise.all(RECORDS.map(async (r) => hexOf(await plain.get(r.fid, r.seq))))
    expect(got).toEqual(want)
    expect(want.filter((w) => w === undefined).length).toBe(3) // A11, A12, A0
    // A8..A12 is one run (A11, A12 are past the front: what is left of it is asked again, empty);
    // A0 is before the log, so the run A0, A1 reads nothing and A1 (a run of one) is got alone
    expect(reads.range).toEqual(['A1+6', 'B1+2', 'A8+5', 'A11+2', 'A0+2'])
    expect(reads.get).toBe(5) // A12, A1, A9, A9 (the same seq twice is no run), B3
  })

  it('falls back to one get per record when a range read fails, and without getRange', async () => {
    for (const opts of [{ range: true, failRange: true }, { range: false }]) {
      const { logs, reads, plain } = await store(opts)
      const wires = new RecordWires(logs, RECORDS, RECORDS.map((r) => bkey(r.fid)))
      for (let i = 0; i < RECORDS.length; i++) {
        const r = RECORDS[i]!
        expect(await wires.get(i)).toEqual(await plain.get(r.fid, r.seq))
      }
      expect(reads.range.length).toBe(opts.range ? 1 : 0)
      expect(reads.get).toBe(RECORDS.length)
    }
  })
})

/** A WANT server on a recording face over `logs`; returns the frames each WANT produced. */
async function serveAll(logs: LogStore, wants: WantRecord[][], opts: { serveBurst?: number; amplification?: number }) {
  const clock = fakeClock()
  const ctx = createContext({ logs, clock })
  const sent: Array<{ frame: string; to: PeerId | undefined }> = []
  const face: Face = { name: 'f', mtu: 1400, addressable: true, send: async (frame, to) => void sent.push({ frame: toHex(frame), to }), onFrame: () => () => {}, close: async () => {} }
  const router = new FrameRouter(ctx)
  router.running = true
  const srv = new WantServer(ctx, router, resolveFaces({ logs, faces: [face], serveRate: 1, serveBurst: opts.serveBurst ?? 1000 }), { amplification: opts.amplification })
  srv.serve(A)
  srv.serve(B)
  for (const [i, records] of wants.entries()) {
    router.receive(encodeWant(wantDmx(records[0]!.fid), records), face, i % 2 ? 'alice' : 'bob')
    clock.advance(0)
    await router.idle()
  }
  return { sent, dropped: ctx.stats.dropped, served: ctx.stats.entriesServed }
}

describe('WANT server reading ranges', () => {
  const wants = [RECORDS, RECORDS, rec(A, 3, 4, 5, 6, 7), RECORDS.slice(4), rec(B, 1, 2, 3)]
  for (const [title, opts] of [
    ['plenty of budget and credit', {}],
    ['a budget that runs out in a run', { serveBurst: 7 }],
    ['credit that runs out in a run', { amplification: 2 }],
  ] as const) {
    it(`sends the same frames as one get per record: ${title}`, async () => {
      const withRange = await store()
      const ranged = await serveAll(withRange.logs, wants, opts)
      const single = await serveAll((await store({ range: false })).logs, wants, opts)
      expect(ranged).toEqual(single)
      expect(ranged.served).toBeGreaterThan(0)
      expect(withRange.reads.range.length).toBeGreaterThan(0)
      if (title !== 'plenty of budget and credit') expect(Object.keys(ranged.dropped).length).toBeGreaterThan(0)
    })
  }
})

describe('WANT server DMX check', () => {
  it('serves a WANT only under the WANT DMX of its first feed, also right after a WANT about that feed', async () => {
    const { logs } = await store()
    const clock = fakeClock()
    const ctx = createContext({ logs, clock })
    let sent = 0
    const face: Face = { name: 'f', mtu: 1400, addressable: true, send: async () => void sent++, onFrame: () => () => {}, close: async () => {} }
    const router = new FrameRouter(ctx)
    router.running = true
    const srv = new WantServer(ctx, router, resolveFaces({ logs, faces: [face], serveRate: 1, serveBurst: 1000 }), { amplification: 100 })
    srv.serve(A)
    srv.serve(B)
    const ask = async (dmxOf: Uint8Array, records: WantRecord[], peer: PeerId): Promise<number> => {
      const before = sent
      router.receive(encodeWant(wantDmx(dmxOf), records), face, peer)
      clock.advance(0)
      await router.idle()
      return sent - before
    }
    expect(await ask(A, rec(A, 1, 2), 'p1')).toBe(2)
    expect(await ask(B, rec(A, 3), 'p1')).toBe(0) // A's records under B's DMX
    expect(await ask(A, rec(B, 1), 'p1')).toBe(0) // and the other way round
    expect(await ask(B, rec(B, 1), 'p1')).toBe(1)
    expect(await ask(A, rec(B, 2), 'p1')).toBe(0)
    expect(await ask(A, rec(A, 3, 4), 'p2')).toBe(2)
  })
})
