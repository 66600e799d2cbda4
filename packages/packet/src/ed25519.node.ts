// `@tinyssb/packet/ed25519` on Node (the "node" export condition): the fast node:crypto backend.
export { ed25519 } from './ed25519-node.js'
