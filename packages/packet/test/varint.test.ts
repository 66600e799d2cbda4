// varint.json: Bitcoin CompactSize, the sidechain length prefix.
import { describe, expect, it } from 'vitest'
import { decodeVarint, encodeVarint } from '../src/index.js'
import { bytes, expectPacketError, hex, loadVectors } from './vectors.js'

const v = loadVectors<{
  pairs: { value: string; encoded: string }[]
  decode_only: { input: string; value: string; consumed: number }[]
  decode_errors: { input: string }[]
}>('varint.json')

describe('varint.json', () => {
  it.each(v.pairs)('encodes $value as $encoded', ({ value, encoded }) => {
    expect(hex(encodeVarint(BigInt(value)))).toBe(encoded)
    if (BigInt(value) <= BigInt(Number.MAX_SAFE_INTEGER)) expect(hex(encodeVarint(Number(value)))).toBe(encoded)
  })

  it.each(v.pairs)('decodes $encoded as $value', ({ value, encoded }) => {
    expect(decodeVarint(bytes(encoded))).toEqual({ value: BigInt(value), size: encoded.length / 2 })
    // trailing bytes and an offset do not change the result
    expect(decodeVarint(bytes(`ab${encoded}cd`), 1)).toEqual({ value: BigInt(value), size: encoded.length / 2 })
  })

  it.each(v.decode_only)('decodes $input as $value, consuming $consumed', ({ input, value, consumed }) => {
    expect(decodeVarint(bytes(input))).toEqual({ value: BigInt(value), size: consumed })
  })

  it.each(v.decode_errors)('rejects truncated input "$input"', ({ input }) => {
    expectPacketError(() => decodeVarint(bytes(input)), 'VARINT_TRUNCATED')
  })
})

describe('encodeVarint arguments', () => {
  it.each([-1, 1.5, Number.NaN, 2 ** 53, -1n, 1n << 64n])('throws RangeError for %s', (n) => {
    expect(() => encodeVarint(n)).toThrow(RangeError)
  })
})
