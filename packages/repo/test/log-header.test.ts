// The header codec beyond the vectors (logfile-vectors.test.ts has the reference's headers).
import fc from 'fast-check'
import { PacketError } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { formatLogHeader, LOG_HEADER_BYTES, parseLogHeader, StoreError } from '../src/index.js'

const info = {
  fid: new Uint8Array(32).fill(1),
  parentFid: undefined,
  parentSeq: 0,
  anchorSeq: 0,
  anchorMid: new Uint8Array(20).fill(1),
  frontSeq: 0,
  frontMid: new Uint8Array(20).fill(1),
}

describe('log header codec', () => {
  it('round-trips any valid header (property)', () => {
    const mid = fc.uint8Array({ minLength: 20, maxLength: 20 })
    const seq = fc.integer({ min: 0, max: 0xffffffff })
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0)), { nil: undefined }),
        seq, seq, fc.nat(0xffff), mid, mid,
        (fid, parentFid, parentSeq, anchorSeq, n, anchorMid, frontMid) => {
          const frontSeq = Math.min(0xffffffff, anchorSeq + n)
          const h = { fid, parentFid, parentSeq, anchorSeq, anchorMid, frontSeq, frontMid: frontSeq === anchorSeq ? anchorMid : frontMid }
          const bytes = formatLogHeader(h)
          expect(bytes.length).toBe(LOG_HEADER_BYTES)
          expect(parseLogHeader(bytes)).toEqual(h)
        },
      ),
    )
  })

  it('any 128 bytes parse to a header or throw StoreError STORE_CORRUPT (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 128, maxLength: 128 }), (b) => {
        try {
          parseLogHeader(b)
        } catch (e) {
          expect(e).toBeInstanceOf(StoreError)
          expect((e as StoreError).code).toBe('STORE_CORRUPT')
        }
      }),
    )
  })

  it('rejects wrong lengths and bad fields', () => {
    expect(() => parseLogHeader(new Uint8Array(127))).toThrow(/expected 128 bytes, got 127/)
    expect(() => formatLogHeader({ ...info, fid: new Uint8Array(31) })).toThrow(PacketError)
    expect(() => formatLogHeader({ ...info, anchorMid: new Uint8Array(32) })).toThrow(/"anchorMid" expected 20 bytes/)
    expect(() => formatLogHeader({ ...info, frontSeq: 2 ** 32 })).toThrow(/"frontSeq" expected an integer/)
    expect(() => formatLogHeader({ ...info, anchorSeq: 5, frontSeq: 4 })).toThrow(StoreError)
  })
})
