// Do the ed25519 backends agree on crafted, non-vector signatures? They must: otherwise a feed owner
// could craft entries that browsers (noble) and Node (node:crypto) judge differently. Both backends
// apply one rule (src/ed25519-strict.ts): S < L, canonical encodings, no small-order public key, and
// the cofactorless equation compared byte for byte as OpenSSL does.
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { nodeEd25519 } from '../src/ed25519-node.js'
import { bytes } from './vectors.js'

const L = (1n << 252n) + 27742317777372353535851937790883648493n
const le = (b: Uint8Array) => b.reduceRight((x, v) => (x << 8n) | BigInt(v), 0n)
const toLE = (x: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn))
const msg = new Uint8Array([1, 2, 3])
const verdicts = (sig: Uint8Array, pub: Uint8Array) => [nobleEd25519.verify(sig, msg, pub), nodeEd25519.verify(sig, msg, pub)]

describe('noble and node-crypto on crafted signatures', () => {
  it('both reject an all-zero key and signature', () => {
    expect(verdicts(new Uint8Array(64), new Uint8Array(32))).toEqual([false, false])
  })

  it('agree on a small-order public key (identity key, R = identity, S = 0 verifies any message on OpenSSL)', () => {
    const identity = bytes(`01${'00'.repeat(31)}`)
    const sig = bytes(`01${'00'.repeat(63)}`)
    expect(verdicts(sig, identity)).toEqual([false, false])
  })

  it('both reject a signature whose R has a small-order component (cofactored would accept, cofactorless does not)', () => {
    ed.hashes.sha512 ??= sha512
    const { scalar: a, pointBytes: A } = ed.utils.getExtendedPublicKey(new Uint8Array(32).fill(5))
    const T = ed.Point.fromBytes(bytes(`ec${'ff'.repeat(30)}7f`)) // (0, -1), of order 2
    const r = 123456789n
    /** A signature with nonce point r·B (+ T), built by hand as a signer would. */
    const signWith = (Rpoint: typeof T): Uint8Array => {
      const R = Rpoint.toBytes()
      const k = le(sha512(new Uint8Array([...R, ...A, ...msg]))) % L
      return new Uint8Array([...R, ...toLE((r + k * a) % L)])
    }
    // control: the same construction without T is a valid signature on both backends
    expect(verdicts(signWith(ed.Point.BASE.multiply(r)), A)).toEqual([true, true])
    // with T: 8·(S·B) = 8·(R + k·A) holds, S·B = R + k·A does not; both backends use the latter
    expect(verdicts(signWith(ed.Point.BASE.multiply(r).add(T)), A)).toEqual([false, false])
  })
})
