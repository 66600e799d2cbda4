// Front hints (docs/extensions.md "Front hint"): "feed F is at seq S, whose mid is M".
//   frame = dmx(7) ‖ N × (fid(32) ‖ seq(BE32) ‖ mid(20)),   N = 1..2, 63 or 119 bytes
//   dmx   = sha256("tinyssb-v0" ‖ "tinyssb-ts/front")[0:7]
// Unsigned and unverifiable on arrival: a consumer uses a hint to show how far behind it is, and
// checks it once it holds entry S. Never 120 bytes, never a DMX a poc-01 node arms.
import { checkLength, checkSeq, equalBytes, readU32be, u32be } from './bytes.js'
import { DMX_BYTES, FID_BYTES, MID_BYTES, SEQ_BYTES } from './constants.js'
import { PacketError } from './errors.js'
import { extensionDmx, startsWithDmx } from './ext-dmx.js'

/** The name the front hint DMX is derived from (this project's extension, not the original's). */
export const FRONT_HINT_NAME = 'tinyssb-ts/front'
/** One record: fid(32) ‖ seq(BE32) ‖ mid(20). */
export const FRONT_HINT_RECORD_BYTES = FID_BYTES + SEQ_BYTES + MID_BYTES
/** The smallest front hint: one record, 63 bytes. */
export const FRONT_HINT_MIN_BYTES = DMX_BYTES + FRONT_HINT_RECORD_BYTES
/** Records in one frame: 2 (119 bytes) fit a 120-byte LoRa frame; decoders read no more. */
export const FRONT_HINT_MAX_RECORDS = 2

const DMX = extensionDmx(FRONT_HINT_NAME)

/** The fixed DMX every node listens on for front hints. */
export function frontHintDmx(): Uint8Array {
  return DMX.slice()
}

/** "Feed `fid` is at `seq`; entry `seq` has mid `mid`." */
export interface FrontHint {
  readonly fid: Uint8Array
  /** 1..2^32-1: the front of the sender's copy of the feed. */
  readonly seq: number
  /** The mid of entry `seq`. */
  readonly mid: Uint8Array
}

/** Whether `frame` carries the front hint DMX and is long enough for one record. */
export function isFrontHint(frame: Uint8Array): boolean {
  return frame.length >= FRONT_HINT_MIN_BYTES && startsWithDmx(frame, DMX)
}

/**
 * Encodes one front hint frame (63 or 119 bytes).
 * @param hints - 1..{@link FRONT_HINT_MAX_RECORDS} records, seq ≥ 1.
 * @throws PacketError FRONT_HINT_RECORDS, PACKET_LENGTH (fid or mid), PACKET_SEQ (seq 0 or out of range).
 */
export function encodeFrontHint(hints: readonly FrontHint[]): Uint8Array {
  if (hints.length < 1 || hints.length > FRONT_HINT_MAX_RECORDS) {
    throw new PacketError('FRONT_HINT_RECORDS', `a front hint holds 1..${FRONT_HINT_MAX_RECORDS} records, got ${hints.length}`)
  }
  const out = new Uint8Array(DMX_BYTES + hints.length * FRONT_HINT_RECORD_BYTES)
  out.set(DMX)
  hints.forEach((h, i) => {
    checkLength(h.fid, FID_BYTES, 'fid')
    checkLength(h.mid, MID_BYTES, 'mid')
    checkSeq(h.seq)
    if (h.seq === 0) throw new PacketError('PACKET_SEQ', 'a front hint names an entry: seq expected ≥ 1, got 0')
    const o = DMX_BYTES + i * FRONT_HINT_RECORD_BYTES
    out.set(h.fid, o)
    out.set(u32be(h.seq), o + FID_BYTES)
    out.set(h.mid, o + FID_BYTES + SEQ_BYTES)
  })
  return out
}

/**
 * Decodes a front hint: whole 56-byte records (a trailing partial record is ignored), at most
 * `maxRecords` (default and maximum {@link FRONT_HINT_MAX_RECORDS}); records with seq 0 are left out.
 * @throws PacketError FRONT_HINT_DMX (not the front hint DMX), FRONT_HINT_LENGTH (under 63 bytes).
 */
export function decodeFrontHint(frame: Uint8Array, maxRecords = FRONT_HINT_MAX_RECORDS): FrontHint[] {
  if (!startsWithDmx(frame, DMX)) throw new PacketError('FRONT_HINT_DMX', 'the frame does not start with the front hint DMX')
  if (frame.length < FRONT_HINT_MIN_BYTES) {
    throw new PacketError('FRONT_HINT_LENGTH', `a front hint has at least ${FRONT_HINT_MIN_BYTES} bytes, got ${frame.length}`)
  }
  const limit = Math.max(0, Math.min(FRONT_HINT_MAX_RECORDS, Math.floor(maxRecords)))
  const n = Math.min(limit, Math.floor((frame.length - DMX_BYTES) / FRONT_HINT_RECORD_BYTES))
  const hints: FrontHint[] = []
  for (let i = 0; i < n; i++) {
    const o = DMX_BYTES + i * FRONT_HINT_RECORD_BYTES
    const seq = readU32be(frame, o + FID_BYTES)
    if (seq === 0) continue
    hints.push({
      fid: frame.slice(o, o + FID_BYTES),
      seq,
      mid: frame.slice(o + FID_BYTES + SEQ_BYTES, o + FRONT_HINT_RECORD_BYTES),
    })
  }
  return hints
}

/** What a front hint tells a consumer, given what it holds ({@link checkFrontHint}). */
export type FrontHintStatus =
  /** The hint is about another feed. */
  | { readonly state: 'unrelated' }
  /** The hint claims `lag` entries beyond the local front: unverified, good for progress only. */
  | { readonly state: 'ahead'; readonly lag: number }
  /** The local log holds entry `seq` and its mid is the hint's: the sender told the truth. */
  | { readonly state: 'confirmed' }
  /** The local log holds entry `seq` with another mid: a false hint (or a fork); drop it. */
  | { readonly state: 'contradicted' }
  /** The local front is past `seq` and the mid at `seq` was not given: nothing left to learn. */
  | { readonly state: 'outdated' }

/** The local view of a feed, as a LogInfo has it. */
export interface FrontView {
  readonly fid: Uint8Array
  readonly frontSeq: number
  readonly frontMid: Uint8Array
}

/**
 * Checks a hint against the local log, without trusting it for anything: 'ahead' (with the lag)
 * until the log reaches the hinted seq, then 'confirmed' or 'contradicted' by comparing mids.
 * Call it again after each append (the engine keeps the hint until it is settled or replaced).
 * @param hint - a decoded hint.
 * @param front - the local log's front (`LogInfo`).
 * @param midAtSeq - the mid of the local entry `hint.seq`, when the caller has it at hand (e.g. a
 *   batch append went past the hinted seq); without it a front past the hint is 'outdated'.
 * @example
 * ```ts
 * const s = checkFrontHint(hint, await logs.info(hint.fid))
 * if (s.state === 'ahead') events.emit('lag', { fid: hint.fid, behind: s.lag })
 * ```
 */
export function checkFrontHint(hint: FrontHint, front: FrontView, midAtSeq?: Uint8Array): FrontHintStatus {
  if (!equalBytes(hint.fid, front.fid)) return { state: 'unrelated' }
  if (hint.seq > front.frontSeq) return { state: 'ahead', lag: hint.seq - front.frontSeq }
  const mid = hint.seq === front.frontSeq ? front.frontMid : midAtSeq
  if (!mid) return { state: 'outdated' }
  return equalBytes(mid, hint.mid) ? { state: 'confirmed' } : { state: 'contradicted' }
}
