// Blob requests: dmx("blobs") ‖ N × (ptr(20) ‖ credit BE16), and the credit a reader grants.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BLOB_CREDIT_MAX,
  BLOB_REQUEST_MAX_BLOBS,
  BLOB_REQUEST_MAX_RECORDS,
  BLOB_REQUEST_MIN_BYTES,
  blobRequestDmx,
  decodeBlobRequest,
  encodeBlobRequest,
  extensionDmx,
  isBlobRequest,
  packBlobRequests,
} from '../src/index.js'
import { expectPacketError, hex } from './vectors.js'

const ptr = (i: number): Uint8Array => new Uint8Array(createHash('sha256').update(`blob ${i}`).digest().subarray(0, 20))
const DMX = createHash('sha256').update('tinyssb-v0blobs').digest().subarray(0, 7)
/** A frame as the original's later demos build it: dmx ‖ ptr ‖ count(BE16), records concatenated. */
const original = (recs: [Uint8Array, number][]): Uint8Array =>
  new Uint8Array(Buffer.concat([DMX, ...recs.map(([p, n]) => Buffer.concat([p, Buffer.from([n >> 8, n & 0xff])]))]))

describe('blob request frames', () => {
  it('the DMX is sha256("tinyssb-v0" ‖ "blobs")[0:7], a fresh copy each time', () => {
    expect(hex(blobRequestDmx())).toBe(hex(DMX))
    expect(hex(extensionDmx('blobs'))).toBe(hex(DMX))
    blobRequestDmx().fill(0)
    expect(hex(blobRequestDmx())).toBe(hex(DMX))
  })

  it('encodes byte for byte what the original builds, and reads it back', () => {
    const recs: [Uint8Array, number][] = [[ptr(1), 4], [ptr(2), 1], [ptr(3), 16]]
    const frame = encodeBlobRequest(recs.map(([p, credit]) => ({ ptr: p, credit })))
    expect(hex(frame)).toBe(hex(original(recs)))
    expect(frame.length).toBe(7 + 3 * 22)
    expect(isBlobRequest(frame)).toBe(true)
    const d = decodeBlobRequest(frame)
    // the frame budget of 16 blobs: 4 + 1 + 11 of the 16 asked last
    expect(d.records.map((r) => [hex(r.ptr), r.credit])).toEqual([[hex(ptr(1)), 4], [hex(ptr(2)), 1], [hex(ptr(3)), 11]])
    expect([d.requested, d.granted]).toEqual([21, 16])
  })

  it('round trips any 1..5 records within the budget', () => {
    const rec = fc.record({ ptr: fc.uint8Array({ minLength: 20, maxLength: 20 }).filter((p) => p.some((b) => b)), credit: fc.integer({ min: 1, max: 3 }) })
    fc.assert(
      fc.property(fc.uniqueArray(rec, { minLength: 1, maxLength: 5, selector: (r) => hex(r.ptr) }), (records) => {
        const d = decodeBlobRequest(encodeBlobRequest(records))
        expect(d.records.map((r) => [hex(r.ptr), r.credit])).toEqual(records.map((r) => [hex(r.ptr), r.credit]))
      }),
    )
  })

  it('a poc-02 request (one record, count 4) is read as such', () => {
    const d = decodeBlobRequest(original([[ptr(9), 4]]))
    expect(d).toEqual({ records: [{ ptr: ptr(9), credit: 4 }], requested: 4, granted: 4 })
  })

  it('caps: credit per record, blobs per frame, records per frame', () => {
    const big = decodeBlobRequest(original([[ptr(1), 0xffff], [ptr(2), 3]]))
    expect(big.records.map((r) => r.credit)).toEqual([BLOB_CREDIT_MAX]) // the budget is used up by the first
    expect([big.requested, big.granted]).toEqual([0xffff + 3, BLOB_REQUEST_MAX_BLOBS])
    const many = original(Array.from({ length: 9 }, (_, i): [Uint8Array, number] => [ptr(i), 1]))
    expect(decodeBlobRequest(many).records).toHaveLength(BLOB_REQUEST_MAX_RECORDS)
    expect(decodeBlobRequest(many, { maxRecords: 2 }).records).toHaveLength(2)
    expect(decodeBlobRequest(many, { maxRecords: 99 }).records).toHaveLength(BLOB_REQUEST_MAX_RECORDS) // only lowered
    const lowered = decodeBlobRequest(original([[ptr(1), 5], [ptr(2), 5]]), { maxCredit: 3, maxBlobs: 4 })
    expect(lowered.records.map((r) => r.credit)).toEqual([3, 1])
  })

  it('leaves out records that ask for nothing: credit 0, a zero pointer, a repeated pointer', () => {
    const d = decodeBlobRequest(original([[ptr(1), 0], [new Uint8Array(20), 5], [ptr(2), 2], [ptr(2), 7]]))
    expect(d.records.map((r) => [hex(r.ptr), r.credit])).toEqual([[hex(ptr(2)), 2]])
    expect(decodeBlobRequest(original([[ptr(1), 0]])).records).toEqual([])
  })

  it('a trailing partial record is ignored', () => {
    const frame = original([[ptr(1), 2]])
    for (const extra of [1, 21]) {
      const longer = new Uint8Array(frame.length + extra).fill(0xee)
      longer.set(frame)
      expect(decodeBlobRequest(longer).records).toHaveLength(1)
    }
  })

  it.each([...Array(BLOB_REQUEST_MIN_BYTES).keys()].slice(7))('a %i-byte frame is BLOB_REQUEST_LENGTH', (n) => {
    const frame = new Uint8Array(n)
    frame.set(DMX)
    expect(isBlobRequest(frame)).toBe(false)
    expectPacketError(() => decodeBlobRequest(frame), 'BLOB_REQUEST_LENGTH')
  })

  it('another DMX (or under 7 bytes) is BLOB_REQUEST_DMX', () => {
    const frame = original([[ptr(1), 2]])
    frame[3]! ^= 1
    expect(isBlobRequest(frame)).toBe(false)
    expectPacketError(() => decodeBlobRequest(frame), 'BLOB_REQUEST_DMX')
    expectPacketError(() => decodeBlobRequest(DMX.subarray(0, 6)), 'BLOB_REQUEST_DMX')
  })

  it('encodeBlobRequest checks its records', () => {
    expectPacketError(() => encodeBlobRequest([]), 'BLOB_REQUEST_RECORDS')
    expectPacketError(() => encodeBlobRequest(Array.from({ length: 6 }, (_, i) => ({ ptr: ptr(i), credit: 1 }))), 'BLOB_REQUEST_RECORDS')
    expectPacketError(() => encodeBlobRequest([{ ptr: new Uint8Array(20), credit: 1 }]), 'BLOB_REQUEST_RECORDS')
    expectPacketError(() => encodeBlobRequest([{ ptr: ptr(1).subarray(1), credit: 1 }]), 'PACKET_LENGTH')
    for (const credit of [0, -1, 1.5, BLOB_CREDIT_MAX + 1, Number.NaN]) {
      expectPacketError(() => encodeBlobRequest([{ ptr: ptr(1), credit }]), 'BLOB_REQUEST_CREDIT')
    }
  })
})

describe('packBlobRequests', () => {
  it('fills frames up to 5 records and 16 blobs of credit, so every credit is granted in full', () => {
    const records = [9, 4, 3, 1, 1, 1, 16, 2].map((credit, i) => ({ ptr: ptr(i), credit }))
    const frames = packBlobRequests(records)
    const decoded = frames.map((f) => decodeBlobRequest(f))
    expect(decoded.map((d) => d.records.map((r) => r.credit))).toEqual([[9, 4, 3], [1, 1, 1], [16], [2]])
    for (const d of decoded) expect(d.granted).toBe(d.requested)
    expect(decoded.flatMap((d) => d.records.map((r) => hex(r.ptr)))).toEqual(records.map((r) => hex(r.ptr)))
  })

  it('merges a pointer asked twice (the larger credit) and packs nothing into nothing', () => {
    const frames = packBlobRequests([{ ptr: ptr(1), credit: 2 }, { ptr: ptr(2), credit: 1 }, { ptr: ptr(1), credit: 5 }])
    expect(frames.map((f) => decodeBlobRequest(f).records.map((r) => [hex(r.ptr), r.credit]))).toEqual([[[hex(ptr(1)), 5], [hex(ptr(2)), 1]]])
    expect(packBlobRequests([])).toEqual([])
    expectPacketError(() => packBlobRequests([{ ptr: ptr(1), credit: 17 }]), 'BLOB_REQUEST_CREDIT')
  })
})
