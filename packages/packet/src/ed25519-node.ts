// ed25519 through node:crypto (OpenSSL): the same bytes as noble, about 15× faster verify.
// Node only. `@tinyssb/packet/ed25519` resolves here under the "node" export condition.
import { createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { checkLength } from './bytes.js'
import { acceptablePublicKey, scalarBelowL } from './ed25519-strict.js'
import type { SignatureScheme, Signer } from './crypto.js'

// DER prefixes that wrap a raw 32-byte seed (PKCS#8) or public key (SPKI) for node:crypto.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
// A small cache of parsed public keys: a node verifies entries of few feeds, many times.
const KEY_CACHE_MAX = 256
const keyCache = new Map<string, KeyObject>()

let lastPub: Uint8Array | undefined
let lastKey: KeyObject | undefined

function samePub(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false
  return true
}

function publicKeyObject(pub: Uint8Array): KeyObject | undefined {
  // most verifications in a row are for the same feed
  if (lastPub && lastKey && samePub(lastPub, pub)) return lastKey
  const key = cachedKeyObject(pub)
  if (key) [lastPub, lastKey] = [pub.slice(), key]
  return key
}

function cachedKeyObject(pub: Uint8Array): KeyObject | undefined {
  const k = Buffer.from(pub.buffer, pub.byteOffset, pub.length).toString('latin1')
  let key = keyCache.get(k)
  if (key) return key
  // small-order keys are refused (OpenSSL alone accepts the identity key with R = identity, S = 0)
  if (!acceptablePublicKey(pub)) return undefined
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' })
  } catch {
    return undefined
  }
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!)
  keyCache.set(k, key)
  return key
}

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

export { parallelEd25519, type ParallelEd25519, type ParallelVerifierOptions } from './verify-pool.js'
