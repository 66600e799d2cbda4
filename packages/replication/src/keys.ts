// Byte strings as Map keys: one char per byte (latin1), cheaper than hex on the receive path.

/** A string key for a short byte string. */
export function bkey(b: Uint8Array): string {
  return String.fromCharCode.apply(null, b as unknown as number[])
}
