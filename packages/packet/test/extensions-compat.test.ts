// The new frames (blob requests, front hints, entry bundles) against models of the original nodes'
// dispatch (test/poc-dispatch.ts): a poc-01 node drops them; a poc-02+ node reads our blob requests
// exactly as we wrote them, and drops our front hints and bundles; nothing we send is 120 bytes long.
// The WANT record that asks for bundles names no log, like the zero records that pad a WANT.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  BLOB_CREDIT_MAX,
  BLOB_REQUEST_MAX_RECORDS,
  BUNDLE_WANT_SEQ,
  FRONT_HINT_MAX_RECORDS,
  PACKET_BYTES,
  blobPointer,
  blobRequestDmx,
  bundleDmx,
  bundleWantRecord,
  createChainEntry,
  createPlainEntry,
  encodeBlobRequest,
  encodeBundle,
  encodeFrontHint,
  encodeWant,
  frontHintDmx,
  genesisPosition,
  maxBundleEntries,
  wantDmx,
  type Entry,
} from '../src/index.js'
import { OriginalNode, type ModelFeed } from './poc-dispatch.js'
import { hex, utf8 } from './vectors.js'

/** Eight feeds of three entries each; entry 3 has a sidechain of 4 blobs. */
function feeds() {
  return Array.from({ length: 8 }, (_, k) => {
    const signer = nodeEd25519.signer(new Uint8Array(32).fill(k + 1))
    const fid = signer.publicKey
    const entries: Entry[] = []
    let pos = genesisPosition(fid)
    for (let seq = 1; seq <= 2; seq++) {
      const e = createPlainEntry(pos, utf8(`entry ${seq} of feed ${k}`), signer)
      entries.push(e)
      pos = { fid, seq: seq + 1, prev: e.mid }
    }
    const { entry, blobs } = createChainEntry(pos, utf8('x'.repeat(350)), signer)
    entries.push(entry)
    return { fid, entries, blobs }
  })
}
const all = feeds()
// each model node holds every feed at front 2: it awaits entry 3 and serves WANTs for all feeds
const held: ModelFeed[] = all.map((f) => ({ fid: f.fid, frontSeq: 2, frontMid: f.entries[1]!.mid }))
const pointers = all.flatMap((f) => f.blobs.map(blobPointer))
const poc01 = new OriginalNode('poc-01', held)
const poc02 = new OriginalNode('poc-02+', held, pointers)

describe('the models dispatch what the originals dispatch (positive controls)', () => {
  it('a WANT for a held feed and the awaited entry reach their handlers', () => {
    for (const f of all) {
      expect(poc01.receive(encodeWant(wantDmx(f.fid), [{ fid: f.fid, seq: 1 }]))).toEqual({ kind: 'want', fid: hex(f.fid) })
      expect(poc01.receive(f.entries[2]!.wire)).toEqual({ kind: 'entry', fid: hex(f.fid), seq: 3 })
      expect(poc02.receive(f.entries[2]!.wire)).toEqual({ kind: 'entry', fid: hex(f.fid), seq: 3 })
      expect(poc01.receive(f.entries[1]!.wire)).toEqual({ kind: 'dropped' }) // not awaited any more
    }
    expect(poc01.armed).toBe(16)
  })

  it("poc-01's WANT handler answers each record whose fid names a log it holds", () => {
    const frame = encodeWant(wantDmx(all[0]!.fid), all.slice(0, 3).map((f, i) => ({ fid: f.fid, seq: i + 1 })))
    expect(poc01.readWant(frame)).toEqual(all.slice(0, 3).map((f, i) => ({ fid: hex(f.fid), seq: i + 1, held: true })))
    const stranger = new Uint8Array(32).fill(0xee)
    expect(poc01.readWant(encodeWant(wantDmx(all[0]!.fid), [{ fid: stranger, seq: 1 }]))).toEqual([{ fid: hex(stranger), seq: 1, held: false }])
  })

  it('poc-02+: an awaited blob is taken by its hash', () => {
    const blob = all[0]!.blobs[1]!
    expect(poc02.receive(blob)).toEqual({ kind: 'blob', ptr: hex(blobPointer(blob)), accepted: true })
    expect(poc01.receive(blob)).toEqual({ kind: 'dropped' })
  })
})

describe('a poc-01 node ignores the new frames', () => {
  it('blob requests for real chains, 1..5 records', () => {
    for (let n = 1; n <= BLOB_REQUEST_MAX_RECORDS; n++) {
      const frame = encodeBlobRequest(pointers.slice(0, n).map((ptr, i) => ({ ptr, credit: 1 + i })))
      expect(frame.length).not.toBe(PACKET_BYTES)
      expect(poc01.receive(frame)).toEqual({ kind: 'dropped' })
    }
  })

  it('front hints with the real fronts of the feeds it replicates', () => {
    for (let i = 0; i + 1 < all.length; i += 2) {
      const hints = [all[i]!, all[i + 1]!].map((f) => ({ fid: f.fid, seq: 3, mid: f.entries[2]!.mid }))
      for (const frame of [encodeFrontHint(hints.slice(0, 1)), encodeFrontHint(hints)]) {
        expect(frame.length).not.toBe(PACKET_BYTES)
        expect(poc01.receive(frame)).toEqual({ kind: 'dropped' })
        expect(poc02.receive(frame)).toEqual({ kind: 'dropped' })
      }
    }
  })

  it('random blob requests and front hints: always dropped, never 120 bytes', () => {
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })
    const record = fc.record({ ptr: bytes(20).filter((p) => p.some((b) => b !== 0)), credit: fc.integer({ min: 1, max: BLOB_CREDIT_MAX }) })
    const hint = fc.record({ fid: fc.constantFrom(...all.map((f) => f.fid)), seq: fc.integer({ min: 1, max: 2 ** 32 - 1 }), mid: bytes(20) })
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: BLOB_REQUEST_MAX_RECORDS }), (records) => {
        const frame = encodeBlobRequest(records)
        expect(frame.length).not.toBe(PACKET_BYTES)
        expect(poc01.receive(frame).kind).toBe('dropped')
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.array(hint, { minLength: 1, maxLength: FRONT_HINT_MAX_RECORDS }), (hints) => {
        const frame = encodeFrontHint(hints)
        expect(frame.length).not.toBe(PACKET_BYTES)
        expect(poc01.receive(frame).kind).toBe('dropped')
        expect(poc02.receive(frame).kind).toBe('dropped')
      }),
      { numRuns: 300 },
    )
  })

  it('entry bundles of real chains, 2..11 entries and blobs, even around the entry it awaits', () => {
    // every feed's entries and blobs, the awaited entry 3 of feed 0 first
    const wires = all.flatMap((f) => [f.entries[2]!.wire, f.entries[0]!.wire, f.entries[1]!.wire, ...f.blobs])
    for (let n = 2; n <= maxBundleEntries(1400); n++) {
      for (let start = 0; start + n <= wires.length; start += 4) {
        const frame = encodeBundle(wires.slice(start, start + n))
        expect(frame.length).not.toBe(PACKET_BYTES)
        expect(poc01.receive(frame)).toEqual({ kind: 'dropped' })
        expect(poc02.receive(frame)).toEqual({ kind: 'dropped' }) // not armed, and its hash is no awaited blob
      }
    }
    expect(poc01.receive(wires[0]!)).toEqual({ kind: 'entry', fid: hex(all[0]!.fid), seq: 3 }) // alone, it is taken
  })

  it('random bundles: always dropped by both, never 120 bytes', () => {
    const wire = fc.uint8Array({ minLength: PACKET_BYTES, maxLength: PACKET_BYTES })
    fc.assert(
      fc.property(fc.array(wire, { minLength: 2, maxLength: maxBundleEntries(1400) }), (wires) => {
        const frame = encodeBundle(wires)
        expect(frame.length).not.toBe(PACKET_BYTES)
        expect(poc01.receive(frame).kind).toBe('dropped')
        expect(poc02.receive(frame).kind).toBe('dropped')
      }),
      { numRuns: 200 },
    )
  })

  it('the fixed DMXs are neither a WANT DMX nor an entry DMX of any feed held', () => {
    const armed = new Set(all.flatMap((f) => [hex(wantDmx(f.fid)), ...f.entries.map((e) => hex(e.dmx))]))
    expect(armed.has(hex(blobRequestDmx()))).toBe(false)
    expect(armed.has(hex(frontHintDmx()))).toBe(false)
    expect(armed.has(hex(bundleDmx()))).toBe(false)
    expect(new Set([blobRequestDmx(), frontHintDmx(), bundleDmx()].map(hex)).size).toBe(3)
  })
})

describe('a poc-01 node reads the bundle marker of a WANT as a record that names no log', () => {
  const zeroFid = '00'.repeat(32)

  it('1..5 real records and the marker: the records are answered, the marker names no log', () => {
    for (let k = 1; k <= 5; k++) {
      const records = all.slice(0, k).map((f, i) => ({ fid: f.fid, seq: 2 + i }))
      const frame = encodeWant(wantDmx(all[0]!.fid), [...records, bundleWantRecord()])
      expect(frame.length).toBeLessThanOrEqual(250)
      expect(poc01.receive(frame)).toEqual({ kind: 'want', fid: hex(all[0]!.fid) })
      expect(poc01.readWant(frame)).toEqual([
        ...records.map((r) => ({ fid: hex(r.fid), seq: r.seq, held: true })),
        { fid: zeroFid, seq: BUNDLE_WANT_SEQ, held: false },
      ])
    }
  })

  it('6 records and the marker (259 bytes): cut at 250, the marker is read as a shorter fid, no log', () => {
    const records = all.slice(0, 6).map((f) => ({ fid: f.fid, seq: 1 }))
    const frame = encodeWant(wantDmx(all[0]!.fid), [...records, bundleWantRecord()])
    expect(frame.length).toBe(259)
    const read = poc01.readWant(frame)
    expect(read.slice(0, 6).every((r) => r.held)).toBe(true)
    expect(read.slice(6)).toEqual([{ fid: '00'.repeat(27), seq: 0, held: false }])
  })

  it('the same as the zero records that pad a WANT: whatever comes after the records names no log', () => {
    const records = all.slice(0, 2).map((f) => ({ fid: f.fid, seq: 1 }))
    const plain = encodeWant(wantDmx(all[0]!.fid), records)
    const marked = encodeWant(wantDmx(all[0]!.fid), [...records, bundleWantRecord()])
    for (const padTo of [marked.length + 36 + 2, 250, 261]) {
      for (const base of [plain, marked]) {
        const padded = new Uint8Array(padTo)
        padded.set(base)
        const read = poc01.readWant(padded)
        expect(read.slice(0, 2).map((r) => r.held)).toEqual([true, true])
        expect(read.length).toBeGreaterThan(2)
        for (const extra of read.slice(2)) {
          expect(extra.held).toBe(false)
          expect(/^0+$/.test(extra.fid)).toBe(true)
        }
      }
    }
  })
})

describe('a poc-02+ node reads our blob requests as we wrote them', () => {
  it('same pointers, same counts, and it answers by following the chain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: BLOB_CREDIT_MAX }), { minLength: 1, maxLength: BLOB_REQUEST_MAX_RECORDS }), (credits) => {
        const records = credits.map((credit, i) => ({ ptr: blobPointer(all[i]!.blobs[0]!), credit }))
        const d = poc02.receive(encodeBlobRequest(records))
        expect(d).toEqual({ kind: 'blob-request', records: records.map((r) => ({ ptr: hex(r.ptr), count: r.credit })) })
      }),
      { numRuns: 100 },
    )
    // the answer the original gives to count 3: the first three blobs of the chain, in order
    const store = new Map(all[0]!.blobs.map((b) => [hex(blobPointer(b)), b]))
    const sent: string[] = []
    let ptr = hex(blobPointer(all[0]!.blobs[0]!))
    for (let cnt = 3; cnt > 0; cnt--) {
      const blob = store.get(ptr)
      if (!blob) break
      sent.push(hex(blob))
      ptr = hex(blob.subarray(100))
    }
    expect(sent).toEqual(all[0]!.blobs.slice(0, 3).map(hex))
  })
})
