// Fixed DMXs of the extension frames: sha256("tinyssb-v0" ‖ name)[0:7], the way the original's
// later proofs of concept (poc-02..05, packet._dmx) derive their "blobs" request DMX.
import { concatBytes } from './bytes.js'
import { DMX_BYTES, PFX } from './constants.js'
import { sha256 } from './hash.js'

/**
 * The fixed DMX of a frame type that every node listens on: sha256("tinyssb-v0" ‖ utf8(name))[0:7].
 * One table entry serves every request of that type (no entry per feed or per blob).
 */
export function extensionDmx(name: string): Uint8Array {
  return sha256(concatBytes(PFX, new TextEncoder().encode(name))).slice(0, DMX_BYTES)
}

/** Whether `frame` starts with the 7 bytes of `dmx`. */
export function startsWithDmx(frame: Uint8Array, dmx: Uint8Array): boolean {
  if (frame.length < DMX_BYTES) return false
  for (let i = 0; i < DMX_BYTES; i++) if (frame[i] !== dmx[i]) return false
  return true
}
