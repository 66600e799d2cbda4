import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

type NodeHash = (alg: string, data: Uint8Array, enc: 'latin1') => string

// On Node, sha256 through OpenSSL's one-shot `crypto.hash`. It is looked up with getBuiltinModule
// (Node ≥ 20.16) instead of an import, so this module stays loadable in browsers, where it falls
// back to noble. The digest is asked for as a latin1 string (one char per byte): about 2.3× faster
// than asking for a Buffer for entry-sized inputs, since a Buffer's memory is allocated outside the
// JS heap (malloc, then freed by a sweeper thread) while a 32-char string and a 32-byte array live
// on the heap. The receive path hashes each entry a few times.
const nodeHash: NodeHash | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const c = proc?.getBuiltinModule?.('node:crypto') as { hash?: NodeHash } | undefined
  return typeof c?.hash === 'function' ? c.hash : undefined
})()

/**
 * sha256 of `data` as a latin1 string: 32 chars, char i = byte i (codes 0–255). Internal: the
 * receive path compares and keys DMX values as such strings.
 */
export const sha256Latin1: (data: Uint8Array) => string = nodeHash
  ? (data) => nodeHash('sha256', data, 'latin1')
  : (data) => latin1Of(nobleSha256(data))

/** The first `n` bytes of a latin1 string, in a new array. */
export function bytesOfLatin1(s: string, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = s.charCodeAt(i)
  return out
}

function latin1Of(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!)
  return s
}

/** sha256 of `data` (32 bytes): OpenSSL on Node, pure JS (noble) elsewhere; the same bytes. */
export const sha256: (data: Uint8Array) => Uint8Array = nodeHash
  ? (data) => bytesOfLatin1(nodeHash('sha256', data, 'latin1'), 32)
  : (data) => nobleSha256(data)
