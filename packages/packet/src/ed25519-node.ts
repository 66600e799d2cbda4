// ed25519 through node:crypto (OpenSSL): the same bytes as noble, about 15× faster verify.
// Node only. `@tinyssb/packet/ed25519` resolves here under the "node" export condition.
import { createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { checkLength } from './bytes.js'
import { scalarBelowL } from './ed25519-rule.js'
import { keyMemo } from './key-memo.js'
import type { SignatureScheme, Signer } from './crypto.js'

// DER prefixes that wrap a raw 32-byte seed (PKCS#8) or public key (SPKI) for node:crypto.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
// Parsed public keys, remembered; small-order and non-canonical keys are refused (OpenSSL alone
// accepts the identity key with R = identity, S = 0).
const publicKeyObject = keyMemo((pub): KeyObject | undefined => {
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' })
  } catch {
    return undefined
  }
})

/** ed25519 with node:crypto; strict verification (S ≥ L rejected). */
export const nodeEd25519: SignatureScheme = {
  alg: 'ed25519',
  backend: 'node-crypto',
  publicKey(seed: Uint8Array): Uint8Array {
    checkLength(seed, 32, 'seed')
    const priv = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
    const der = createPublicKey(priv).export({ format: 'der', type: 'spki' })
    return new Uint8Array(der.subarray(SPKI_PREFIX.length))
  },
  signer(seed: Uint8Array): Signer {
    checkLength(seed, 32, 'seed')
    const priv = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
    const der = createPublicKey(priv).export({ format: 'der', type: 'spki' })
    const publicKey = new Uint8Array(der.subarray(SPKI_PREFIX.length))
    return { publicKey, sign: (msg) => new Uint8Array(cryptoSign(null, msg, priv)) }
  },
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
    if (sig.length !== 64 || publicKey.length !== 32 || !scalarBelowL(sig)) return false
    const key = publicKeyObject(publicKey)
    if (!key) return false
    try {
      return cryptoVerify(null, msg, key, sig)
    } catch {
      return false
    }
  },
}

/** The ed25519 scheme of this entry point (node:crypto). */
export const ed25519: SignatureScheme = nodeEd25519

export {
  DEFAULT_CALLER_ABOVE,
  DEFAULT_CALLER_SHARE,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TIMEOUT_PER_ITEM_MS,
  parallelEd25519,
  type ParallelEd25519,
  type ParallelVerifierOptions,
  type VerifyPoolStats,
} from './verify-pool.js'
export type { NodeEd25519Backend } from './pick-ed25519.js'
