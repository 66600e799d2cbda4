// Byte helpers. Bytes are Uint8Array everywhere; hex appears only at the edges.
import { PacketError } from './errors.js'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]
  return s
}

/**
 * Bytes of a hex string (upper or lower case, even length).
 * @throws TypeError for an odd length or a non-hex character.
 */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new TypeError(`hex string of odd length ${hex.length}`)
  if (!/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError(`not a hex string: "${hex.length > 20 ? `${hex.slice(0, 20)}…` : hex}"`)
  }
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1))
  return out
}

/** The value of one hex digit's char code (checked by the caller). */
function nibble(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87
}

/** The concatenation of `parts`. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Whether `a` and `b` hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Whether every byte of `a` is zero. */
export function isZero(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false
  return true
}

/** The 4 big-endian bytes of a sequence number. */
export function u32be(n: number): Uint8Array {
  checkSeq(n)
  return new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff])
}

/** The big-endian 32-bit unsigned integer at `offset`. */
export function readU32be(buf: Uint8Array, offset: number): number {
  return ((buf[offset]! << 24) | (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!) >>> 0
}

/** @throws PacketError PACKET_SEQ unless `seq` is an integer in 0..2^32-1. */
export function checkSeq(seq: number, what = 'seq'): void {
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) {
    throw new PacketError('PACKET_SEQ', `"${what}" expected an integer in 0..2^32-1, got ${seq}`)
  }
}

/** @throws PacketError PACKET_LENGTH unless `bytes` is a Uint8Array of exactly `len` bytes. */
export function checkLength(bytes: Uint8Array, len: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"${what}" expected Uint8Array, got ${typeof bytes}`)
  if (bytes.length !== len) {
    throw new PacketError('PACKET_LENGTH', `"${what}" expected ${len} bytes, got ${bytes.length}`)
  }
}
