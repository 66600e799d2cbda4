// Byte strings as Map keys: one char per byte (latin1), cheaper than hex on the receive path.

/** A string key for a short byte string. */
export function bkey(b: Uint8Array): string {
  // feed ids: 32 arguments spelled out, 2-4× faster than apply over a typed array (a node
  // holding 10 000 logs keys each a few times in start())
  if (b.length === 32) {
    return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!, b[11]!, b[12]!, b[13]!, b[14]!, b[15]!, b[16]!, b[17]!, b[18]!, b[19]!, b[20]!, b[21]!, b[22]!, b[23]!, b[24]!, b[25]!, b[26]!, b[27]!, b[28]!, b[29]!, b[30]!, b[31]!)
  }
  return String.fromCharCode.apply(null, b as unknown as number[])
}

/** bkey of a frame's first 7 bytes (its DMX), read in place; the frame must be at least 7 bytes. */
export function dmxKeyOf(f: Uint8Array): string {
  return String.fromCharCode(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!)
}

/** The bytes of a key made by {@link bkey} (a new array). */
export function unkey(k: string): Uint8Array {
  const b = new Uint8Array(k.length)
  for (let i = 0; i < k.length; i++) b[i] = k.charCodeAt(i)
  return b
}
