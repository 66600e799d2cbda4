// How bytes are shown to people: printable text when it is text, hex otherwise.
import { toHex } from '@tinyssb/packet'

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Trailing zero padding removed (plain48 payloads are zero-padded). */
export function stripZeros(b: Uint8Array): Uint8Array {
  let n = b.length
  while (n > 0 && b[n - 1] === 0) n--
  return b.subarray(0, n)
}

/** A JSON-quoted string when `b` is printable UTF-8, else `0x` + hex. */
export function showBytes(b: Uint8Array): string {
  try {
    const s = decoder.decode(b)
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s)) return JSON.stringify(s)
  } catch {
    // not UTF-8: hex below
  }
  return `0x${toHex(b)}`
}
