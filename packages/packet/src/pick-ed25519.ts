// The choice of ed25519 backend on Node: libsodium when sodium-native loads, else node:crypto.
// TINYSSB_ED25519=node-crypto forces node:crypto. Both apply one strict rule (ed25519-strict.ts):
// the choice changes the speed, never a verdict.
import type { SignatureScheme } from './crypto.js'
import { nodeEd25519 } from './ed25519-node.js'
import { loadSodiumEd25519 } from './ed25519-sodium.js'

/** Node's ed25519 backends by name. */
export type NodeEd25519Backend = 'sodium' | 'node-crypto'

/**
 * The scheme for `backend`; without one the fastest available (see the file comment).
 * @throws Error when 'sodium' is asked for and sodium-native does not load.
 */
export function pickEd25519(backend?: NodeEd25519Backend): SignatureScheme {
  if (backend === 'node-crypto') return nodeEd25519
  if (backend === undefined && process.env.TINYSSB_ED25519 === 'node-crypto') return nodeEd25519
  const sodium = loadSodiumEd25519()
  if (backend === 'sodium' && !sodium) throw new Error('the sodium ed25519 backend needs sodium-native (an optional peer dependency): npm install sodium-native')
  return sodium ?? nodeEd25519
}
