// The byte-level half of the one verification rule (see ed25519-strict.ts): S < L, the
// small-order encodings (libsodium's blocklist), and a public key's canonical encoding. No point
// arithmetic, no @noble import: the Node backends (node:crypto, libsodium) and their worker threads
// load only this, and decode points themselves. A worker that loaded noble to check keys booted
// ~40 ms later (its import and first point decoding), and a catch-up's first batch waits for it.
/** The group order L, little-endian. */
const L_LE = new Uint8Array([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
])

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
  return onBlocklist(sig)
}

/** Whether the 32 bytes at the start of `b` are one of the blocklisted encodings (sign bit ignored). */
function onBlocklist(b: Uint8Array): boolean {
  if (!SMALL_ORDER_FIRST.has(b[0]!)) return false
  next: for (const s of SMALL_ORDER) {
    for (let i = 0; i < 31; i++) if (b[i] !== s[i]) continue next
    if ((b[31]! & 0x7f) === s[31]) return true
  }
  return false
}

/**
 * Whether a 32-byte public key passes the rule's key checks by its bytes alone: a canonical
 * encoding (y < p; the sign bit aside) of no small-order point (the blocklist, either sign bit),
 * as libsodium checks a key. For every key that decodes to a point this is noble's verdict
 * (acceptablePublicKey in ed25519-strict.ts): the small-order points are exactly the blocklist's
 * canonical entries, and x = 0 with the sign bit set ("−0") occurs only for y = ±1, both on it.
 * A key that does not decode at all passes here, and every backend then refuses its signatures
 * in its own point decoding (OpenSSL and libsodium both do, whatever their build flags).
 */
export function acceptableKeyBytes(pub: Uint8Array): boolean {
  if (pub.length !== 32) return false
  // y ≥ p = 2^255 − 19: bytes 1..30 all 0xff, byte 31 (sign bit aside) 0x7f, byte 0 ≥ 0xed
  let top = (pub[31]! & 0x7f) === 0x7f
  for (let i = 30; top && i > 0; i--) top = pub[i] === 0xff
  if (top && pub[0]! >= 0xed) return false
  return !onBlocklist(pub)
}
