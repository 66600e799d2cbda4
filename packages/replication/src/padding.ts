// Padding of requests (WANTs, blob requests) so that they pay for their answers under the holder's
// amplification bound, as QUIC pads its first packets: zero bytes after the records, which every
// reader skips (a WANT record with an all-zero fid names no log: the poc-01 handler finds no log
// file for it, ours trims it; a blob request record of zeros asks for nothing). Never on 'lora'
// faces (FaceProfile.padFor is Infinity there), never past the MTU, never exactly 120 bytes (a
// 120-byte frame is an entry or a blob).
import { PACKET_BYTES, type WantRecord } from '@tinyssb/packet'
import type { FaceProfile } from './faces.js'
import { WANT_PAD_HINT_BYTES } from './options.js'

/** The answer bytes a WANT of `records` records pays for: its entries and a front hint. */
export function wantAnswerBytes(records: number): number {
  return records * PACKET_BYTES + WANT_PAD_HINT_BYTES
}

/** The length a request asking for `answerBytes` is padded to on face `p`: answerBytes / padFor (its own length when longer). */
export function paddedLength(length: number, answerBytes: number, p: Pick<FaceProfile, 'padFor' | 'face'>): number {
  if (!Number.isFinite(p.padFor)) return length
  let len = Math.min(p.face.mtu, Math.ceil(answerBytes / p.padFor))
  if (len === PACKET_BYTES) len = p.face.mtu > PACKET_BYTES ? PACKET_BYTES + 1 : PACKET_BYTES - 1
  return Math.max(length, len)
}

/**
 * `frame` followed by zero bytes, so that it pays for `answerBytes` under the bound `p.padFor`
 * ({@link paddedLength}); `frame` itself when it is long enough or the face is not padded.
 */
export function padRequest(frame: Uint8Array, answerBytes: number, p: Pick<FaceProfile, 'padFor' | 'face'>): Uint8Array {
  const len = paddedLength(frame.length, answerBytes, p)
  if (len <= frame.length) return frame
  const out = new Uint8Array(len)
  out.set(frame)
  return out
}

/** The records of a WANT without the trailing all-zero ones (its padding: an all-zero fid names no feed). */
export function withoutPadding(records: WantRecord[]): WantRecord[] {
  let n = records.length
  while (n > 0 && records[n - 1]!.fid.every((b) => b === 0)) n--
  return n === records.length ? records : records.slice(0, n)
}
