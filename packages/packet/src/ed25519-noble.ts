// ed25519 through @noble/ed25519: pure JS, runs everywhere (browsers included).
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { checkLength } from './bytes.js'
import type { SignatureScheme, Signer } from './crypto.js'
import { verifyStrict } from './ed25519-strict.js'

function ready(): void {
  // noble v3 needs a sync sha512 for sign/verify; set lazily so importing has no side effect.
  if (!ed.hashes.sha512) ed.hashes.sha512 = sha512
}

/**
 * ed25519 with @noble/ed25519. Verification is strict and the same as node:crypto's: S ≥ L, small-order
 * keys and non-canonical encodings are rejected, and the equation is cofactorless (see ed25519-strict.ts).
 */
export const nobleEd25519: SignatureScheme = {
  alg: 'ed25519',
  backend: 'noble',
  publicKey(seed: Uint8Array): Uint8Array {
    checkLength(seed, 32, 'seed')
    ready()
    return ed.getPublicKey(seed)
  },
  signer(seed: Uint8Array): Signer {
    const publicKey = nobleEd25519.publicKey(seed)
    const secret = seed.slice()
    return { publicKey, sign: (msg) => ed.sign(msg, secret) }
  },
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
    ready()
    return verifyStrict(sig, msg, publicKey)
  },
}

/** The ed25519 scheme of this entry point (noble here; `@tinyssb/packet/ed25519` picks libsodium or node:crypto on Node). */
export const ed25519: SignatureScheme = nobleEd25519
