// Entry bundles (docs/extensions.md "Entry bundle"): several answers to one WANT in one datagram,
// between tinyssb-ts nodes on faces with room for them (UDP):
//   frame = dmx(7) ‖ N × entry(120),   N ≥ 2, at least 247 bytes
//   dmx   = sha256("tinyssb-v0" ‖ "tinyssb-ts/bundle")[0:7]
// A node asks for bundles with a marker record in its WANT: an all-zero fid (a padding record,
// which names no feed: every reader skips it) with seq BUNDLE_WANT_SEQ. Each entry of a bundle is
// then taken as if it had arrived alone. Never 120 bytes, never a DMX a poc-01 node arms.
import { checkLength } from './bytes.js'
import { DMX_BYTES, FID_BYTES, PACKET_BYTES } from './constants.js'
import { PacketError } from './errors.js'
import { extensionDmx, startsWithDmx } from './ext-dmx.js'
import type { WantRecord } from './want.js'

/** The name the bundle DMX is derived from (this project's extension, not the original's). */
export const BUNDLE_NAME = 'tinyssb-ts/bundle'
/** The fewest entries in a bundle (one entry goes alone, as a plain 120-byte frame). */
export const BUNDLE_MIN_ENTRIES = 2
/** The smallest bundle: the DMX and two entries, 247 bytes. */
export const BUNDLE_MIN_BYTES = DMX_BYTES + BUNDLE_MIN_ENTRIES * PACKET_BYTES
/** The seq of the WANT record that asks for bundles (its fid is all zero): "bund" in ASCII. */
export const BUNDLE_WANT_SEQ = 0x62756e64

const DMX = extensionDmx(BUNDLE_NAME)

/** The fixed DMX every node listens on for bundles. */
export function bundleDmx(): Uint8Array {
  return DMX.slice()
}

/** How many entries a bundle may hold on a face of `mtu` bytes: 0 when fewer than 2 fit. */
export function maxBundleEntries(mtu: number): number {
  const n = Math.floor((mtu - DMX_BYTES) / PACKET_BYTES)
  return n >= BUNDLE_MIN_ENTRIES ? n : 0
}

/** Whether `frame` carries the bundle DMX (its length is checked by {@link decodeBundle}). */
export function isBundle(frame: Uint8Array): boolean {
  return startsWithDmx(frame, DMX)
}

/**
 * Encodes a bundle of `wires` (each an entry's 120 bytes).
 * @throws PacketError BUNDLE_ENTRIES (fewer than 2 wires), PACKET_LENGTH (a wire not 120 bytes).
 */
export function encodeBundle(wires: readonly Uint8Array[]): Uint8Array {
  if (wires.length < BUNDLE_MIN_ENTRIES) {
    throw new PacketError('BUNDLE_ENTRIES', `a bundle holds at least ${BUNDLE_MIN_ENTRIES} entries, got ${wires.length}`)
  }
  const out = new Uint8Array(DMX_BYTES + wires.length * PACKET_BYTES)
  out.set(DMX)
  for (let i = 0; i < wires.length; i++) {
    checkLength(wires[i]!, PACKET_BYTES, 'entry')
    out.set(wires[i]!, DMX_BYTES + i * PACKET_BYTES)
  }
  return out
}

/**
 * The entries of a bundle, each a copy of its 120 bytes (not checked: each is then taken as a frame
 * of its own).
 * @throws PacketError BUNDLE_DMX (not the bundle DMX), BUNDLE_LENGTH (not 7 + N × 120 bytes, N ≥ 2).
 */
export function decodeBundle(frame: Uint8Array): Uint8Array[] {
  if (!startsWithDmx(frame, DMX)) throw new PacketError('BUNDLE_DMX', 'the frame does not start with the bundle DMX')
  const body = frame.length - DMX_BYTES
  if (frame.length < BUNDLE_MIN_BYTES || body % PACKET_BYTES !== 0) {
    throw new PacketError('BUNDLE_LENGTH', `a bundle is 7 + N × 120 bytes with N ≥ ${BUNDLE_MIN_ENTRIES}, got ${frame.length} bytes`)
  }
  const wires: Uint8Array[] = []
  for (let o = DMX_BYTES; o < frame.length; o += PACKET_BYTES) wires.push(frame.slice(o, o + PACKET_BYTES))
  return wires
}

/** The WANT record that asks for answers in bundles: an all-zero fid, seq {@link BUNDLE_WANT_SEQ}. */
export function bundleWantRecord(): WantRecord {
  return { fid: new Uint8Array(FID_BYTES), seq: BUNDLE_WANT_SEQ }
}

/** Whether a WANT record is the one that asks for bundles ({@link bundleWantRecord}). */
export function isBundleWantRecord(r: WantRecord): boolean {
  if (r.seq !== BUNDLE_WANT_SEQ || r.fid.length !== FID_BYTES) return false
  for (let i = 0; i < FID_BYTES; i++) if (r.fid[i] !== 0) return false
  return true
}
