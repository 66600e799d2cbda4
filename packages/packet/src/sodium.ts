// `@tinyssb/packet/sodium`: ed25519 through libsodium (sodium-native, an optional peer dependency
// of this package). Node only. Importing it without sodium-native installed throws; use
// `@tinyssb/packet/ed25519`, which picks this backend when it loads and node:crypto otherwise.
import type { SignatureScheme } from './crypto.js'
import { loadSodiumEd25519, sodiumLoadError } from './ed25519-sodium.js'

function required(): SignatureScheme {
  const scheme = loadSodiumEd25519()
  if (scheme) return scheme
  throw new Error('@tinyssb/packet/sodium needs sodium-native (an optional peer dependency): npm install sodium-native', {
    cause: sodiumLoadError(),
  })
}

/**
 * ed25519 with libsodium: the same keys, signatures and strict verdicts as the noble and
 * node:crypto backends, verification about 1.8× node:crypto's rate.
 */
export const sodiumEd25519: SignatureScheme = required()

/** The ed25519 scheme of this entry point (libsodium). */
export const ed25519: SignatureScheme = sodiumEd25519
