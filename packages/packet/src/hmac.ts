// The micropython variant of poc-01 (vectors/hmac.json): signature = HMAC-SHA512(seed, signed).
// The feed ID is still the ed25519 public key of the seed; verifying needs the signer's seed.
import { hmac } from '@noble/hashes/hmac.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { checkLength, equalBytes, toHex } from './bytes.js'
import type { SignatureScheme, Signer } from './crypto.js'
import { nobleEd25519 } from './ed25519-noble.js'

/**
 * The HMAC-SHA512 scheme. `seeds` are the secrets of the feeds it may verify (it has no other way
 * to check a MAC); more can be added later with `addSeed`. Signing works for any seed.
 */
export function hmacScheme(seeds: Iterable<Uint8Array> = []): SignatureScheme & { addSeed(seed: Uint8Array): void } {
  const byFid = new Map<string, Uint8Array>()
  const scheme = {
    alg: 'hmac-sha512' as const,
    backend: 'hmac',
    publicKey: (seed: Uint8Array) => nobleEd25519.publicKey(seed),
    addSeed(seed: Uint8Array): void {
      checkLength(seed, 32, 'seed')
      byFid.set(toHex(nobleEd25519.publicKey(seed)), seed.slice())
    },
    signer(seed: Uint8Array): Signer {
      const key = seed.slice()
      return { publicKey: nobleEd25519.publicKey(seed), sign: (msg) => hmac(sha512, key, msg) }
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
      const seed = byFid.get(toHex(publicKey))
      if (!seed || sig.length !== 64) return false
      return equalBytes(hmac(sha512, seed, msg), sig)
    },
  }
  for (const s of seeds) scheme.addSeed(s)
  return scheme
}
