// `@tinyssb/packet/ed25519` on Node (the "node" export condition): libsodium when sodium-native is
// installed (an optional peer dependency), else node:crypto; TINYSSB_ED25519=node-crypto forces
// node:crypto. Both apply the same strict rule, so the choice changes the speed, never a verdict.
import type { SignatureScheme } from './crypto.js'
import { pickEd25519 } from './pick-ed25519.js'

/** The fastest ed25519 scheme here: `ed25519.backend` is 'sodium' or 'node-crypto'. */
export const ed25519: SignatureScheme = pickEd25519()
