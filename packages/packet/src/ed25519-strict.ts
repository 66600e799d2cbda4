// One verification rule for every backend, so a feed owner cannot craft an entry that browsers
// (noble) accept and Node (OpenSSL) rejects, or the reverse:
//   - S < L (RFC 8032), canonical encodings of A and R;
//   - A is not of small order (OpenSSL alone would accept the identity key with R = identity, S = 0);
//   - the cofactorless equation R = [S]B − [k]A, compared byte for byte as OpenSSL does
//     (noble's own strict mode is cofactored and would accept an R with a small-order component).
// libsodium (the sodium backend) applies all of these and one more: it refuses every R of small
// order, which the equation accepts when the key owner signs with r = 0 (R = identity, S = k·a).
// smallOrderR() spots those encodings, and that backend hands them to another one.
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'

/** The group order L, little-endian. */
const L_LE = new Uint8Array([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
])
const L = (1n << 252n) + 27742317777372353535851937790883648493n

/** Whether the scalar S = sig[32:64] (little-endian) is below L: a byte comparison from the top. */
export function scalarBelowL(sig: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = sig[32 + i]!
    const l = L_LE[i]!
    if (s !== l) return s < l
  }
  return false // S = L
}

/**
 * First bytes of the encodings of the 8 small-order points and their non-canonical twins (y = p,
 * y = p + 1), as in libsodium's blocklist; bytes 1..30 of each are all 0x00 or all 0xff except for
 * the two order-8 points, which are compared in full. The sign bit (top bit of byte 31) is ignored.
 */
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => Uint8Array.from({ length: 32 }, (_, i) => Number.parseInt(h.slice(2 * i, 2 * i + 2), 16)))
const SMALL_ORDER_FIRST = new Set(SMALL_ORDER.map((b) => b[0]!))

/**
 * Whether the R half of a signature (sig[0:32]) encodes a point of small order, canonically or not,
 * with either sign bit: libsodium refuses these before checking the equation, the other backends
 * decide by the equation. Cheap: one byte decides for almost every signature.
 */
export function smallOrderR(sig: Uint8Array): boolean {
  if (!SMALL_ORDER_FIRST.has(sig[0]!)) return false
  next: for (const b of SMALL_ORDER) {
    for (let i = 0; i < 31; i++) if (sig[i] !== b[i]) continue next
    if ((sig[31]! & 0x7f) === b[31]) return true
  }
  return false
}

function le(b: Uint8Array): bigint {
  let x = 0n
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!)
  return x
}

/** Whether a 32-byte public key is a canonical encoding of a point that is not of small order. */
export function acceptablePublicKey(pub: Uint8Array): boolean {
  try {
    return !ed.Point.fromBytes(pub, false).isSmallOrder()
  } catch {
    return false
  }
}

/** Strict, cofactorless ed25519 verification with noble's point arithmetic (see the file comment). */
export function verifyStrict(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): boolean {
  if (sig.length !== 64 || pub.length !== 32 || !scalarBelowL(sig)) return false
  let A: ed.Point
  try {
    A = ed.Point.fromBytes(pub, false)
    ed.Point.fromBytes(sig.subarray(0, 32), false) // R must decode canonically
  } catch {
    return false
  }
  if (A.isSmallOrder()) return false
  const h = new Uint8Array(64 + msg.length)
  h.set(sig.subarray(0, 32))
  h.set(pub, 32)
  h.set(msg, 64)
  const k = le(sha512(h)) % L
  const S = le(sig.subarray(32, 64))
  const SB = S === 0n ? ed.Point.ZERO : ed.Point.BASE.multiply(S)
  const R = SB.subtract(A.multiplyUnsafe(k))
  const r = R.toBytes()
  for (let i = 0; i < 32; i++) if (r[i] !== sig[i]) return false
  return true
}
