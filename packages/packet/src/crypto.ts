// Crypto is handed in, so the codec stays pure and any backend (noble, node:crypto, HMAC) fits.

/** Signs entries of one feed. */
export interface Signer {
  /** The feed ID: the 32-byte ed25519 public key of the signing seed. */
  readonly publicKey: Uint8Array
  /** The 64-byte signature of `msg`. */
  sign(msg: Uint8Array): Uint8Array
}

/** One signature to check, for {@link Verifier.verifyMany}. */
export interface VerifyItem {
  readonly sig: Uint8Array
  readonly msg: Uint8Array
  readonly publicKey: Uint8Array
}

/** Checks entry signatures of any feed. */
export interface Verifier {
  /**
   * Whether `sig` is a valid signature of `msg` under `publicKey`.
   * Returns false for a bad signature (also for S ≥ L, RFC 8032); throws only for malformed arguments.
   */
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean
  /**
   * Optional: checks many signatures at once, e.g. in parallel on worker threads; the same verdicts
   * as verify(). Stores use it to check a batch of entries (LogStore.appendMany) during catch-up.
   */
  verifyMany?(items: readonly VerifyItem[]): Promise<boolean[]>
}

/** A signature scheme backend: makes signers from 32-byte seeds and verifies. */
export interface SignatureScheme extends Verifier {
  /** Which scheme: 'ed25519' (noble or node:crypto) or 'hmac-sha512' (the micropython variant). */
  readonly alg: 'ed25519' | 'hmac-sha512'
  /** Which implementation, for benchmarks and logs: 'noble', 'node-crypto', 'hmac'. */
  readonly backend: string
  /** The 32-byte ed25519 public key (feed ID) of a 32-byte seed. */
  publicKey(seed: Uint8Array): Uint8Array
  /** A signer for the feed of `seed`. */
  signer(seed: Uint8Array): Signer
}
