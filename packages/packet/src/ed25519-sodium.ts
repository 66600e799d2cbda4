// ed25519 through libsodium (sodium-native, an optional peer dependency): about 1.8× node:crypto's
// verify rate. Node only. The same strict rule as the other backends (ed25519-strict.ts); libsodium's
// crypto_sign_verify_detached (checked against its source, ref10 open.c) already refuses S ≥ L, a
// non-canonical or small-order key, and compares R byte for byte with the canonical encoding of
// [S]B − [k]A (cofactorless), so a non-canonical R fails too. It differs in one place: it refuses
// every R of small order, which the equation may accept (a key owner signing with r = 0). Those
// signatures go to node:crypto. The key checks run here too, once per key, so the verdict never
// hangs on the bundled libsodium's build flags.
import { createRequire } from 'node:module'
import { checkLength } from './bytes.js'
import type { SignatureScheme, Signer } from './crypto.js'
import { scalarBelowL, smallOrderR } from './ed25519-rule.js'
import { nodeEd25519 } from './ed25519-node.js'
import { keyMemo } from './key-memo.js'

/** The part of sodium-native's API this backend uses. */
export interface SodiumNative {
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void
  crypto_sign_detached(sig: Uint8Array, msg: Uint8Array, sk: Uint8Array): void
  crypto_sign_verify_detached(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean
}

let loaded: { scheme: SignatureScheme | undefined; error: unknown } | undefined

/**
 * The sodium backend when `sodium-native` can be loaded (installed, with a binary for this
 * platform), else undefined; loaded once. Never throws.
 */
export function loadSodiumEd25519(): SignatureScheme | undefined {
  if (!loaded) {
    try {
      const native = createRequire(import.meta.url)('sodium-native') as SodiumNative
      loaded = { scheme: sodiumScheme(native), error: undefined }
    } catch (error) {
      loaded = { scheme: undefined, error }
    }
  }
  return loaded.scheme
}

/** Why {@link loadSodiumEd25519} gave undefined (the error of loading sodium-native), if it did. */
export function sodiumLoadError(): unknown {
  loadSodiumEd25519()
  return loaded!.error
}

/** A strict ed25519 {@link SignatureScheme} over a loaded sodium-native module. */
export function sodiumScheme(sodium: SodiumNative): SignatureScheme {
  // acceptable keys (canonical, not of small order) are remembered
  const acceptable = keyMemo(() => true)
  const signer = (seed: Uint8Array): Signer => {
    checkLength(seed, 32, 'seed')
    const publicKey = new Uint8Array(32)
    const secret = new Uint8Array(64)
    sodium.crypto_sign_seed_keypair(publicKey, secret, seed)
    return {
      publicKey,
      sign(msg) {
        const sig = new Uint8Array(64)
        sodium.crypto_sign_detached(sig, msg, secret)
        return sig
      },
    }
  }
  return {
    alg: 'ed25519',
    backend: 'sodium',
    publicKey: (seed) => signer(seed).publicKey,
    signer,
    verify(sig, msg, publicKey) {
      if (sig.length !== 64 || publicKey.length !== 32 || !scalarBelowL(sig) || !acceptable(publicKey)) return false
      // libsodium refuses a small-order R outright; the rule decides it by the equation
      if (smallOrderR(sig)) return nodeEd25519.verify(sig, msg, publicKey)
      return sodium.crypto_sign_verify_detached(sig, msg, publicKey)
    },
  }
}
