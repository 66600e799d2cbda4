import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

/** sha256 of `data` (32 bytes). Pure JS, so it runs in browsers too. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data)
}
