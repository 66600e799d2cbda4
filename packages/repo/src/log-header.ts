// The 128-byte header of a poc-01 log file (vectors/README.md "logfile.json"). Big-endian u32s:
//   0 reserved(12) ‖ 12 fid(32) ‖ 44 parent fid(32) ‖ 76 parent seq(4) ‖ 80 anchor seq(4)
//   ‖ 84 anchor mid(20) ‖ 104 front seq(4) ‖ 108 front mid(20)
// followed by 128-byte blocks: 8 reserved zero bytes ‖ 120-byte wire; seq s sits at 128·(s − anchor).
import { FID_BYTES, MID_BYTES, isZero, readU32be, type LogInfo } from '@tinyssb/packet'
import { checkFid, checkMid, checkSeqArg } from './checks.js'
import { StoreError } from './errors.js'

/** Bytes of a log file header. */
export const LOG_HEADER_BYTES = 128
/** Bytes of one log block: {@link BLOCK_RESERVED_BYTES} zero bytes, then the 120-byte wire. */
export const LOG_BLOCK_BYTES = 128
/** The zero bytes before each wire in a block. */
export const BLOCK_RESERVED_BYTES = 8

/** Header field offsets. */
export const HEADER_OFFSET = {
  FID: 12,
  PARENT_FID: 44,
  PARENT_SEQ: 76,
  ANCHOR_SEQ: 80,
  ANCHOR_MID: 84,
  /** An append rewrites bytes FRONT_SEQ..127: front seq ‖ front mid. */
  FRONT_SEQ: 104,
  FRONT_MID: 108,
} as const

/** Bytes rewritten by an append: front seq (4) ‖ front mid (20). */
export const FRONT_BYTES = LOG_HEADER_BYTES - HEADER_OFFSET.FRONT_SEQ

function putU32(buf: Uint8Array, offset: number, n: number): void {
  buf[offset] = n >>> 24
  buf[offset + 1] = (n >>> 16) & 0xff
  buf[offset + 2] = (n >>> 8) & 0xff
  buf[offset + 3] = n & 0xff
}

/**
 * Encodes a log header (128 bytes). A missing parent fid is written as 32 zero bytes, as the
 * reference does.
 * @param info - the header fields.
 * @returns a new 128-byte array.
 * @throws PacketError PACKET_LENGTH / PACKET_SEQ for malformed fields; StoreError STORE_CORRUPT
 *   when frontSeq < anchorSeq.
 */
export function formatLogHeader(info: LogInfo): Uint8Array {
  checkFid(info.fid)
  if (info.parentFid !== undefined) checkFid(info.parentFid)
  checkSeqArg(info.parentSeq, 'parentSeq')
  checkSeqArg(info.anchorSeq, 'anchorSeq')
  checkSeqArg(info.frontSeq, 'frontSeq')
  checkMid(info.anchorMid, 'anchorMid')
  checkMid(info.frontMid, 'frontMid')
  if (info.frontSeq < info.anchorSeq) {
    throw new StoreError('STORE_CORRUPT', `log header: front seq ${info.frontSeq} is below anchor seq ${info.anchorSeq}`)
  }
  const h = new Uint8Array(LOG_HEADER_BYTES)
  h.set(info.fid, HEADER_OFFSET.FID)
  if (info.parentFid) h.set(info.parentFid, HEADER_OFFSET.PARENT_FID)
  putU32(h, HEADER_OFFSET.PARENT_SEQ, info.parentSeq)
  putU32(h, HEADER_OFFSET.ANCHOR_SEQ, info.anchorSeq)
  h.set(info.anchorMid, HEADER_OFFSET.ANCHOR_MID)
  h.set(encodeFront(info.frontSeq, info.frontMid), HEADER_OFFSET.FRONT_SEQ)
  return h
}

/** The 24 header bytes at offset 104 that an append rewrites: front seq (BE32) ‖ front mid. */
export function encodeFront(frontSeq: number, frontMid: Uint8Array): Uint8Array {
  const b = new Uint8Array(FRONT_BYTES)
  putU32(b, 0, frontSeq)
  b.set(frontMid, 4)
  return b
}

/**
 * Decodes a 128-byte log header. Reserved bytes are ignored (the reference writes zeros).
 * @param bytes - exactly 128 bytes.
 * @returns the header as {@link LogInfo}; an all-zero parent fid becomes `undefined`.
 * @throws StoreError STORE_CORRUPT for a wrong length, front seq below the anchor, or a log without
 *   entries whose front mid differs from its anchor mid.
 */
export function parseLogHeader(bytes: Uint8Array): LogInfo {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`"header" expected Uint8Array, got ${typeof bytes}`)
  if (bytes.length !== LOG_HEADER_BYTES) {
    throw new StoreError('STORE_CORRUPT', `log header: expected ${LOG_HEADER_BYTES} bytes, got ${bytes.length}`)
  }
  const field = (offset: number, len: number): Uint8Array => bytes.slice(offset, offset + len)
  const parent = field(HEADER_OFFSET.PARENT_FID, FID_BYTES)
  const info: LogInfo = {
    fid: field(HEADER_OFFSET.FID, FID_BYTES),
    parentFid: isZero(parent) ? undefined : parent,
    parentSeq: readU32be(bytes, HEADER_OFFSET.PARENT_SEQ),
    anchorSeq: readU32be(bytes, HEADER_OFFSET.ANCHOR_SEQ),
    anchorMid: field(HEADER_OFFSET.ANCHOR_MID, MID_BYTES),
    frontSeq: readU32be(bytes, HEADER_OFFSET.FRONT_SEQ),
    frontMid: field(HEADER_OFFSET.FRONT_MID, MID_BYTES),
  }
  if (info.frontSeq < info.anchorSeq) {
    throw new StoreError('STORE_CORRUPT', `log header: front seq ${info.frontSeq} is below anchor seq ${info.anchorSeq}`)
  }
  if (info.frontSeq === info.anchorSeq && !equalMid(info.frontMid, info.anchorMid)) {
    throw new StoreError('STORE_CORRUPT', `log header: no entries after anchor seq ${info.anchorSeq}, but front mid differs from anchor mid`)
  }
  return info
}

function equalMid(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < MID_BYTES; i++) if (a[i] !== b[i]) return false
  return true
}

/** A copy of `info` whose byte fields the caller may keep or change without touching the store. */
export function copyInfo(info: LogInfo): LogInfo {
  return {
    fid: info.fid.slice(),
    parentFid: info.parentFid?.slice(),
    parentSeq: info.parentSeq,
    anchorSeq: info.anchorSeq,
    anchorMid: info.anchorMid.slice(),
    frontSeq: info.frontSeq,
    frontMid: info.frontMid.slice(),
  }
}
