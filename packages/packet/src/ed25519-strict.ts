// One verification rule for every backend, so a feed owner cannot craft an entry that browsers
// (noble) accept and Node (OpenSSL) rejects, or the reverse:
//   - S < L (RFC 8032), canonical encodings of A and R;
//   - A is not of small order (OpenSSL alone would accept the identity key with R = identity, S = 0);
//   - the cofactorless equation R = [S]B − [k]A, compared byte for byte as OpenSSL does
//     (noble's own strict mode is cofactored and would accept an R with a small-order component).
// libsodium (the sodium backend) applies all of these and one more: it refuses every R of small
// order, which the equation accepts when the key owner signs with r = 0 (R = identity, S = k·a).
// smallOrderR() spots those encodings, and that backend hands them to another one.
// The checks by bytes alone (S < L, the small-order blocklist, canonical keys) are in
// ed25519-rule.ts, which the Node backends load without noble; this module adds noble's point
// arithmetic for the browser backend.
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { scalarBelowL } from './ed25519-rule.js'

export { acceptableKeyBytes, scalarBelowL, smallOrderR } from './ed25519-rule.js'

const L = (1n << 252n) + 27742317777372353535851937790883648493n

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
