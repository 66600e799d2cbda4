// Message id (2/MVDS): sha256("MESSAGE_ID" ‖ group_id ‖ timestamp as 8-byte little-endian two's
// complement ‖ body), as protobuf.Message.ID() of the Go reference. @noble/hashes: runs in browsers.
import { sha256 } from '@noble/hashes/sha2.js'
import type { MvdsMessage } from './types.js'

const PREFIX = Uint8Array.from('MESSAGE_ID', (c) => c.charCodeAt(0))
const TWO_64 = 1n << 64n

/**
 * The 32-byte id of a message.
 * @example
 * const id = messageId({ groupId: new Uint8Array(32), timestamp: 0n, body: new Uint8Array() })
 */
export function messageId(message: Pick<MvdsMessage, 'groupId' | 'timestamp' | 'body'>): Uint8Array {
  const { groupId, body } = message
  const buf = new Uint8Array(PREFIX.length + groupId.length + 8 + body.length)
  buf.set(PREFIX, 0)
  buf.set(groupId, PREFIX.length)
  const at = PREFIX.length + groupId.length
  // uint64(timestamp): the int64's two's complement, little-endian
  new DataView(buf.buffer).setBigUint64(at, ((message.timestamp % TWO_64) + TWO_64) % TWO_64, true)
  buf.set(body, at + 8)
  return sha256(buf)
}
