// A bounded memo of per-public-key work (a parsed key, or the verdict of the key checks) for the
// Node backends: a node verifies entries of few feeds, many times, mostly of one feed in a row.
import { acceptableKeyBytes } from './ed25519-rule.js'

/** Keys remembered at once; the oldest is forgotten beyond this. */
const KEY_MEMO_MAX = 256

/**
 * A lookup `pub → T | undefined` that runs `make` once per acceptable key (canonical, not of small
 * order, by its bytes: acceptableKeyBytes in ed25519-rule.ts; the backend's own decoding refuses a
 * key that is no point) and remembers its result; unacceptable keys give undefined.
 */
export function keyMemo<T>(make: (pub: Uint8Array) => T | undefined): (pub: Uint8Array) => T | undefined {
  const memo = new Map<string, T>()
  let lastPub: Uint8Array | undefined
  let last: T | undefined

  return (pub) => {
    // most verifications in a row are for the same feed
    if (lastPub !== undefined && samePub(lastPub, pub)) return last
    const k = Buffer.from(pub.buffer, pub.byteOffset, pub.length).toString('latin1')
    let v = memo.get(k)
    if (v === undefined) {
      if (!acceptableKeyBytes(pub)) return undefined
      v = make(pub)
      if (v === undefined) return undefined
      if (memo.size >= KEY_MEMO_MAX) memo.delete(memo.keys().next().value!)
      memo.set(k, v)
    }
    ;[lastPub, last] = [pub.slice(), v]
    return v
  }
}

function samePub(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false
  return true
}
