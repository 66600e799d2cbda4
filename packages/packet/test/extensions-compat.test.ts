// The new frames (blob requests, front hints) against models of the original nodes' dispatch
// (test/poc-dispatch.ts): a poc-01 node drops them; a poc-02+ node reads our blob requests exactly
// as we wrote them, and drops our front hints; nothing we send is 120 bytes long.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  BLOB_CREDIT_MAX,
  BLOB_REQUEST_MAX_RECORDS,
  FRONT_HINT_MAX_RECORDS,
  PACKET_BYTES,
  blobPointer,
  blobRequestDmx,
  createChainEntry,
  createPlainEntry,
  encodeBlobRequest,
  encodeFrontHint,
  encodeWant,
  frontHintDmx,
  genesisPosition,
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

  it('the fixed DMXs are neither a WANT DMX nor an entry DMX of any feed held', () => {
    const armed = new Set(all.flatMap((f) => [hex(wantDmx(f.fid)), ...f.entries.map((e) => hex(e.dmx))]))
    expect(armed.has(hex(blobRequestDmx()))).toBe(false)
    expect(armed.has(hex(frontHintDmx()))).toBe(false)
    expect(hex(blobRequestDmx())).not.toBe(hex(frontHintDmx()))
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
