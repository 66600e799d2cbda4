// Do the ed25519 backends agree on crafted, non-vector signatures? They must: otherwise a feed owner
// could craft entries that browsers (noble), Node (node:crypto) and libsodium judge differently. All
// apply one rule (src/ed25519-strict.ts): S < L, canonical encodings, no small-order public key, and
// the cofactorless equation compared byte for byte as OpenSSL does. libsodium alone refuses every
// small-order R; the sodium backend hands those to node:crypto (checked here against raw libsodium).
import { createRequire } from 'node:module'
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { ed25519 as autoEd25519 } from '@tinyssb/packet/ed25519'
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { nodeEd25519 } from '../src/ed25519-node.js'
import { acceptableKeyBytes, acceptablePublicKey, smallOrderR } from '../src/ed25519-strict.js'
import { sodiumEd25519 } from '../src/sodium.js'
import { bytes, hex } from './vectors.js'

ed.hashes.sha512 ??= sha512
const rawSodium = createRequire(import.meta.url)('sodium-native') as {
  crypto_sign_verify_detached(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean
}
const L = (1n << 252n) + 27742317777372353535851937790883648493n
const le = (b: Uint8Array) => b.reduceRight((x, v) => (x << 8n) | BigInt(v), 0n)
const toLE = (x: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn))
const cat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]))
const msg = new Uint8Array([1, 2, 3])
const backends = [nobleEd25519, nodeEd25519, sodiumEd25519, autoEd25519]
const verdicts = (sig: Uint8Array, pub: Uint8Array, m = msg) => backends.map((b) => b.verify(sig, m, pub))

const { scalar: a, pointBytes: A } = ed.utils.getExtendedPublicKey(new Uint8Array(32).fill(5))
/** k = H(R ‖ A ‖ M) mod L, the challenge of the equation. */
const k = (R: Uint8Array, pub: Uint8Array, m = msg) => le(sha512(cat(R, pub, m))) % L
/** A signature with a chosen R = [r]B + T (T a torsion point or none) that the owner of `a` can make. */
const signWith = (R: Uint8Array, r: bigint, pub = A, m = msg) => cat(R, toLE((r + k(R, pub, m) * a) % L))
const T2 = ed.Point.fromBytes(bytes(`ec${'ff'.repeat(30)}7f`)) // (0, -1), of order 2
const T8 = ed.Point.fromBytes(bytes('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05')) // order 8

describe('the backends on crafted signatures', () => {
  it('the automatic choice on Node is libsodium here (sodium-native is a dev dependency)', () => {
    expect(autoEd25519.backend).toBe('sodium')
  })

  it('all accept a valid signature and reject it on another message', () => {
    const sig = nodeEd25519.signer(new Uint8Array(32).fill(5)).sign(msg)
    expect(verdicts(sig, A)).toEqual([true, true, true, true])
    expect(verdicts(sig, A, new Uint8Array([1, 2, 4]))).toEqual([false, false, false, false])
  })

  it('all reject an all-zero key and signature', () => {
    expect(verdicts(new Uint8Array(64), new Uint8Array(32))).toEqual([false, false, false, false])
  })

  it('all reject S + L (S ≥ L), a valid signature otherwise', () => {
    const sig = nodeEd25519.signer(new Uint8Array(32).fill(5)).sign(msg)
    const big = cat(sig.subarray(0, 32), toLE(le(sig.subarray(32)) + L))
    expect(verdicts(big, A)).toEqual([false, false, false, false])
  })

  it('all reject a small-order public key (identity key, R = identity, S = 0 verifies any message on OpenSSL)', () => {
    expect(verdicts(bytes(`01${'00'.repeat(63)}`), bytes(`01${'00'.repeat(31)}`))).toEqual([false, false, false, false])
  })

  it('all reject a non-canonical public key (y ≥ p)', () => {
    const sig = nodeEd25519.signer(new Uint8Array(32).fill(5)).sign(msg)
    for (let y = 0; y < 19; y++) {
      const pub = bytes(`${(0xed + y).toString(16)}${'ff'.repeat(30)}7f`) // p + y, little-endian
      expect(verdicts(sig, pub)).toEqual([false, false, false, false])
      pub[31] = 0xff // and with the sign bit set
      expect(verdicts(sig, pub)).toEqual([false, false, false, false])
    }
  })

  it('all reject an R with a small-order component (cofactored would accept, cofactorless does not)', () => {
    const r = 123456789n
    // control: the same construction without the torsion point is a valid signature everywhere
    const plain = ed.Point.BASE.multiply(r).toBytes()
    expect(verdicts(signWith(plain, r), A)).toEqual([true, true, true, true])
    // with T: 8·(S·B) = 8·(R + k·A) holds, S·B = R + k·A does not; every backend uses the latter
    const R = ed.Point.BASE.multiply(r).add(T2).toBytes()
    expect(verdicts(signWith(R, r), A)).toEqual([false, false, false, false])
    expect(rawSodium.crypto_sign_verify_detached(signWith(R, r), msg, A)).toBe(false)
  })

  it('R = identity with S = k·a satisfies the cofactorless equation: all accept, though raw libsodium refuses', () => {
    const R = bytes(`01${'00'.repeat(31)}`)
    const sig = signWith(R, 0n)
    expect(rawSodium.crypto_sign_verify_detached(sig, msg, A)).toBe(false) // why the sodium backend defers
    expect(smallOrderR(sig)).toBe(true)
    expect(verdicts(sig, A)).toEqual([true, true, true, true])
  })

  it('all reject the identity R in non-canonical encodings (y = p + 1, x = −0)', () => {
    for (const R of [bytes(`ee${'ff'.repeat(30)}7f`), bytes(`01${'00'.repeat(30)}80`)]) {
      expect(smallOrderR(cat(R, new Uint8Array(32)))).toBe(true)
      expect(verdicts(signWith(R, 0n), A)).toEqual([false, false, false, false])
    }
  })

  it('agree on a key with a small-order component, accepting exactly when [k]T vanishes', () => {
    const Amixed = ed.Point.BASE.multiply(a).add(T8).toBytes()
    const seen = new Set<boolean>()
    for (let i = 0; i < 24; i++) {
      const m = new Uint8Array([i])
      const r = 1000n + BigInt(i)
      const R = ed.Point.BASE.multiply(r).toBytes()
      const sig = signWith(R, r, Amixed, m)
      const expected = k(R, Amixed, m) % 8n === 0n // [S]B − [k]A' = R − [k]T
      expect(verdicts(sig, Amixed, m)).toEqual([expected, expected, expected, expected])
      seen.add(expected)
    }
    expect([...seen].sort()).toEqual([false, true]) // both outcomes were exercised
  })

  it('smallOrderR spots the 7 blocklisted encodings with either sign bit, and nothing else nearby', () => {
    const list = ['00', '01', 'ec', 'ed', 'ee'].map((b) => (b < 'ec' ? `${b}${'00'.repeat(31)}` : `${b}${'ff'.repeat(30)}7f`))
    list.push('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a')
    for (const h of list) {
      const sig = cat(bytes(h), new Uint8Array(32))
      expect(smallOrderR(sig), h).toBe(true)
      sig[31]! ^= 0x80
      expect(smallOrderR(sig), `${h} with the sign bit flipped`).toBe(true)
      sig[15]! ^= 1
      expect(smallOrderR(sig), `${h} changed in byte 15`).toBe(false)
    }
    expect(smallOrderR(nodeEd25519.signer(new Uint8Array(32).fill(5)).sign(msg))).toBe(false)
  })
})

describe("the key checks by bytes alone (acceptableKeyBytes: the Node backends' workers load no noble)", () => {
  /** Whether noble decodes `pub` to a point (strictly: canonical y, no −0). */
  const decodes = (pub: Uint8Array): boolean => {
    try {
      ed.Point.fromBytes(pub, false)
      return true
    } catch {
      return false
    }
  }
  // a deterministic spread of keys: real ones, the blocklist with both sign bits, y ≥ p, small y,
  // a key with a small-order component, and pseudo-random bytes (about half of them decode)
  const keys: Uint8Array[] = [A, ed.Point.BASE.multiply(a).add(T8).toBytes()]
  for (let i = 1; i <= 8; i++) keys.push(nodeEd25519.publicKey(new Uint8Array(32).fill(i)))
  for (const h of ['00', '01', 'ec', 'ed', 'ee'].map((b) => (b < 'ec' ? `${b}${'00'.repeat(31)}` : `${b}${'ff'.repeat(30)}7f`))) keys.push(bytes(h))
  keys.push(bytes('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'), bytes('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'))
  for (let y = 0; y < 19; y++) keys.push(bytes(`${(0xed + y).toString(16)}${'ff'.repeat(30)}7f`)) // p + y
  for (let y = 2; y < 40; y++) keys.push(toLE(BigInt(y)))
  let x = 0x9e3779b9n
  for (let i = 0; i < 300; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % (1n << 256n)
    keys.push(toLE(x >> 1n))
  }
  for (const k of [...keys]) keys.push(Uint8Array.from(k, (b, i) => (i === 31 ? b ^ 0x80 : b))) // the other sign bit

  it("agrees with noble's acceptablePublicKey on every key that decodes to a point", () => {
    let decoding = 0
    let refused = 0
    for (const pub of keys) {
      if (!decodes(pub)) continue
      decoding++
      expect(acceptableKeyBytes(pub), hex(pub)).toBe(acceptablePublicKey(pub))
      if (!acceptablePublicKey(pub)) refused++
    }
    expect(decoding).toBeGreaterThan(150) // the spread exercised both sides
    expect(refused).toBeGreaterThanOrEqual(8) // the small-order points, both signs
  })

  it('refuses every non-canonical encoding (y = p … 2^255 − 1), with either sign bit, as noble does', () => {
    for (let y = 0; y < 19; y++) {
      const pub = bytes(`${(0xed + y).toString(16)}${'ff'.repeat(30)}7f`)
      expect(acceptableKeyBytes(pub)).toBe(false)
      expect(acceptablePublicKey(pub)).toBe(false)
      pub[31] = 0xff
      expect(acceptableKeyBytes(pub)).toBe(false)
    }
    expect(acceptableKeyBytes(bytes(`ec${'ff'.repeat(30)}7f`))).toBe(false) // p − 1: canonical, of order 2
    expect(acceptableKeyBytes(bytes(`eb${'ff'.repeat(30)}7f`))).toBe(true) // p − 2: canonical (whether it decodes is the backend's)
    expect(acceptableKeyBytes(new Uint8Array(31))).toBe(false)
  })

  it('a key that is no point passes it, and every backend refuses signatures under that key', () => {
    const sig = nodeEd25519.signer(new Uint8Array(32).fill(5)).sign(msg)
    const zeroS = cat(sig.subarray(0, 32), new Uint8Array(32))
    let undecodable = 0
    for (const pub of keys) {
      if (decodes(pub) || pub[31]! & 0x80) continue // the other sign bit: the same y
      if (!acceptableKeyBytes(pub)) continue // y ≥ p: refused by the bytes already
      undecodable++
      for (const s of [sig, zeroS]) {
        expect(verdicts(s, pub), hex(pub)).toEqual([false, false, false, false])
        expect(rawSodium.crypto_sign_verify_detached(s, msg, pub)).toBe(false)
      }
    }
    expect(undecodable).toBeGreaterThan(50)
  })
})
