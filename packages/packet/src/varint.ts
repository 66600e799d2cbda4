// Bitcoin CompactSize varints, as the sidechain length prefix (vectors/README.md "chain20").
//   n ≤ 252: n   n ≤ 0xffff: fd ‖ LE16   n ≤ 0xffffffff: fe ‖ LE32   else: ff ‖ LE64
import { PacketError } from './errors.js'

const MAX_U64 = (1n << 64n) - 1n

/**
 * The minimal CompactSize encoding of `n` (0..2^64-1).
 * @throws RangeError for a negative, fractional or too large value.
 */
export function encodeVarint(n: number | bigint): Uint8Array {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`varint value not a safe integer: ${n}`)
  const v = BigInt(n)
  if (v < 0n || v > MAX_U64) throw new RangeError(`varint value out of range 0..2^64-1: ${v}`)
  let width: number
  let out: Uint8Array
  if (v <= 252n) return new Uint8Array([Number(v)])
  if (v <= 0xffffn) [width, out] = [2, new Uint8Array(3)]
  else if (v <= 0xffffffffn) [width, out] = [4, new Uint8Array(5)]
  else [width, out] = [8, new Uint8Array(9)]
  out[0] = width === 2 ? 0xfd : width === 4 ? 0xfe : 0xff
  let x = v
  for (let i = 1; i <= width; i++) {
    out[i] = Number(x & 0xffn)
    x >>= 8n
  }
  return out
}

/** A decoded varint: its value and how many bytes it took. */
export interface Varint {
  readonly value: bigint
  readonly size: number
}

/**
 * Decodes the varint at `offset`. Reads only the bytes it needs (trailing bytes are ignored) and,
 * like the reference, accepts non-minimal encodings such as `fd0000`.
 * @throws PacketError VARINT_TRUNCATED when the input ends too early; RangeError for an offset
 *   that is not an integer ≥ 0.
 */
export function decodeVarint(buf: Uint8Array, offset = 0): Varint {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`varint offset expected an integer ≥ 0, got ${offset}`)
  if (offset >= buf.length) throw new PacketError('VARINT_TRUNCATED', 'varint expected at least 1 byte, got 0')
  const first = buf[offset]!
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : first === 0xff ? 8 : 0
  if (width === 0) return { value: BigInt(first), size: 1 }
  if (offset + 1 + width > buf.length) {
    throw new PacketError(
      'VARINT_TRUNCATED',
      `varint with prefix 0x${first.toString(16)} expected ${width + 1} bytes, got ${buf.length - offset}`,
    )
  }
  let v = 0n
  for (let i = width; i >= 1; i--) v = (v << 8n) | BigInt(buf[offset + i]!)
  return { value: v, size: 1 + width }
}
