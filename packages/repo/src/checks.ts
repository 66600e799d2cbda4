// Argument checks shared by the stores. Wrong lengths and seqs are PacketErrors, as in @tinyssb/packet.
import { FID_BYTES, HASHPTR_BYTES, MAX_SEQ, MID_BYTES, PacketError } from '@tinyssb/packet'

/** @throws PacketError PACKET_LENGTH unless `bytes` is a Uint8Array of exactly `len` bytes. */
export function checkBytes(bytes: Uint8Array, len: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"${what}" expected Uint8Array, got ${typeof bytes}`)
  if (bytes.length !== len) throw new PacketError('PACKET_LENGTH', `"${what}" expected ${len} bytes, got ${bytes.length}`)
}

/** @throws PacketError PACKET_LENGTH for a feed ID that is not 32 bytes. */
export function checkFid(fid: Uint8Array): void {
  checkBytes(fid, FID_BYTES, 'fid')
}

/** @throws PacketError PACKET_LENGTH for a mid that is not 20 bytes. */
export function checkMid(mid: Uint8Array, what = 'mid'): void {
  checkBytes(mid, MID_BYTES, what)
}

/** @throws PacketError PACKET_LENGTH for a blob pointer that is not 20 bytes. */
export function checkPointer(ptr: Uint8Array): void {
  checkBytes(ptr, HASHPTR_BYTES, 'blob pointer')
}

/** Whether `n` is a valid sequence number (an integer in 0..2^32-1). */
export function isSeq(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_SEQ
}

/** @throws PacketError PACKET_SEQ unless `n` is an integer in 0..2^32-1. */
export function checkSeqArg(n: number, what: string): void {
  if (!isSeq(n)) throw new PacketError('PACKET_SEQ', `"${what}" expected an integer in 0..2^32-1, got ${n}`)
}
