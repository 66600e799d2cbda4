// `@tinyssb/packet/ed25519` outside Node: the portable noble backend.
export { ed25519 } from './ed25519-noble.js'
