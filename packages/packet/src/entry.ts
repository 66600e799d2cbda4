// Log entries ("tinyssb-v0", plain48 and chain20): vectors/README.md "Definitions".
//   name   = PFX ‖ fid(32) ‖ seq(BE32) ‖ prev(20)                 66 bytes
//   dmx    = sha256(name)[0:7]
//   signed = name ‖ dmx ‖ typ ‖ payload48                        122 bytes
//   wire   = dmx ‖ typ ‖ payload48 ‖ signature                   120 bytes
//   mid    = sha256(name ‖ wire)[0:20]
import { checkLength, checkSeq, concatBytes, equalBytes } from './bytes.js'
import {
  DMX_BYTES,
  ENTRY_TYPE,
  FID_BYTES,
  MAX_SEQ,
  MID_BYTES,
  NAME_BYTES,
  PACKET_BYTES,
  PAYLOAD_BYTES,
  PFX,
  SIGNATURE_BYTES,
  SIGNED_WIRE_BYTES,
} from './constants.js'
import type { Signer, Verifier, VerifyItem } from './crypto.js'
import { PacketError } from './errors.js'
import { bytesOfLatin1, sha256Latin1 } from './hash.js'

/** Where an entry sits: its feed, its sequence number and the mid of its predecessor. */
export interface EntryPosition {
  /** 32-byte feed ID. */
  readonly fid: Uint8Array
  /** 1 for a genesis entry; 0..2^32-1. */
  readonly seq: number
  /** 20 bytes: the previous entry's mid, or fid[0:20] for a genesis entry. */
  readonly prev: Uint8Array
}

/** A decoded, checked entry. */
export interface Entry extends EntryPosition {
  /** The 120 wire bytes, as stored and sent. */
  readonly wire: Uint8Array
  /** wire[0:7]. */
  readonly dmx: Uint8Array
  /** wire[7]: 0 plain48, 1 chain20; other values are kept as they are. */
  readonly typ: number
  /** wire[8:56]. */
  readonly payload: Uint8Array
  /** wire[56:120]. */
  readonly signature: Uint8Array
  /** sha256(name ‖ wire)[0:20]. */
  readonly mid: Uint8Array
}

function checkPosition(pos: EntryPosition): void {
  checkLength(pos.fid, FID_BYTES, 'fid')
  checkSeq(pos.seq)
  checkLength(pos.prev, MID_BYTES, 'prev')
}

/** The 66-byte name of an entry: PFX ‖ fid ‖ seq(BE32) ‖ prev. @throws PacketError on bad lengths. */
export function entryName(pos: EntryPosition): Uint8Array {
  return nameAnd(pos)
}

/** name ‖ tail in one new buffer (what a signature covers: name ‖ wire[0:56]). */
function nameAnd(pos: EntryPosition, tail?: Uint8Array): Uint8Array {
  checkPosition(pos)
  const out = new Uint8Array(NAME_BYTES + (tail ? tail.length : 0))
  writeName(pos, out)
  if (tail) out.set(tail, NAME_BYTES)
  return out
}

function writeName(pos: EntryPosition, out: Uint8Array): void {
  out.set(PFX)
  out.set(pos.fid, PFX.length)
  const o = PFX.length + FID_BYTES
  out[o] = pos.seq >>> 24
  out[o + 1] = (pos.seq >>> 16) & 0xff
  out[o + 2] = (pos.seq >>> 8) & 0xff
  out[o + 3] = pos.seq & 0xff
  out.set(pos.prev, o + 4)
}

// What the receive path hashes (name, and name ‖ wire) is written here, not into a new buffer each
// time: a buffer over 64 bytes is allocated outside the JS heap (malloc, freed later by a sweeper
// thread), which cost more than the hash. The hash does not keep its input; nothing here awaits.
const scratch = new Uint8Array(NAME_BYTES + PACKET_BYTES)
const scratchName = scratch.subarray(0, NAME_BYTES)

/** sha256(name) as latin1, via the scratch buffer. */
function nameHash(pos: EntryPosition): string {
  checkPosition(pos)
  writeName(pos, scratch)
  return sha256Latin1(scratchName)
}

/** sha256(name ‖ wire)[0:20]: the mid, via the scratch buffer; `wire` must be 120 bytes. */
function midOf(pos: EntryPosition, wire: Uint8Array): Uint8Array {
  checkPosition(pos)
  writeName(pos, scratch)
  scratch.set(wire, NAME_BYTES)
  return bytesOfLatin1(sha256Latin1(scratch), MID_BYTES)
}

/** The position of a genesis entry of `fid`: seq 1, prev = fid[0:20]. */
export function genesisPosition(fid: Uint8Array): EntryPosition {
  checkLength(fid, FID_BYTES, 'fid')
  return { fid, seq: 1, prev: fid.slice(0, MID_BYTES) }
}

/** The DMX an entry at `pos` must start with: sha256(name)[0:7]. */
export function entryDmx(pos: EntryPosition): Uint8Array {
  return bytesOfLatin1(nameHash(pos), DMX_BYTES)
}

/**
 * The DMX of the entry after (`seq`, `mid`) in feed `fid`: sha256(PFX ‖ fid ‖ seq+1 ‖ mid)[0:7].
 * @throws PacketError PACKET_SEQ at seq 2^32-1, which has no successor.
 */
export function nextDmx(fid: Uint8Array, seq: number, mid: Uint8Array): Uint8Array {
  return bytesOfLatin1(nextDmxLatin1(fid, seq, mid), DMX_BYTES)
}

/**
 * {@link nextDmx} as a 7-char latin1 string (char i = byte i): a Map key for the DMX that a
 * receiver expects next, without building the bytes.
 * @throws PacketError PACKET_SEQ at seq 2^32-1, which has no successor.
 */
export function nextDmxLatin1(fid: Uint8Array, seq: number, mid: Uint8Array): string {
  checkSeq(seq)
  if (seq >= MAX_SEQ) throw new PacketError('PACKET_SEQ', `feed full: seq ${seq} has no successor`)
  return nameHash({ fid, seq: seq + 1, prev: mid }).slice(0, DMX_BYTES)
}

/**
 * What the signature of the entry at `pos` with these wire bytes covers, as one item for
 * `Verifier.verifyMany`: the signature (wire[56:120]) over name ‖ wire[0:56] under the fid. The same
 * bytes {@link checkEntry} verifies; for batch checks and for checking ahead of an append.
 */
export function entrySignatureItem(pos: EntryPosition, wire: Uint8Array): VerifyItem {
  checkLength(wire, PACKET_BYTES, 'entry')
  return { sig: wire.subarray(SIGNED_WIRE_BYTES), msg: nameAnd(pos, wire.subarray(0, SIGNED_WIRE_BYTES)), publicKey: pos.fid }
}

/**
 * {@link entrySignatureItem} for each entry of a batch, the signed strings in one buffer (one
 * allocation per batch instead of one per entry).
 */
export function entrySignatureItems(entries: readonly Pick<Entry, 'fid' | 'seq' | 'prev' | 'wire'>[]): VerifyItem[] {
  const size = NAME_BYTES + SIGNED_WIRE_BYTES
  const all = new Uint8Array(entries.length * size)
  const items: VerifyItem[] = new Array(entries.length)
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!
    checkLength(e.wire, PACKET_BYTES, 'entry')
    checkPosition(e)
    const msg = all.subarray(i * size, (i + 1) * size)
    writeName(e, msg)
    msg.set(e.wire.subarray(0, SIGNED_WIRE_BYTES), NAME_BYTES)
    items[i] = { sig: e.wire.subarray(SIGNED_WIRE_BYTES), msg, publicKey: e.fid }
  }
  return items
}

/** The mid of an entry: sha256(name ‖ wire)[0:20]. */
export function entryMid(pos: EntryPosition, wire: Uint8Array): Uint8Array {
  checkLength(wire, PACKET_BYTES, 'entry')
  return midOf(pos, wire)
}

function decoded(pos: EntryPosition, wire: Uint8Array): Entry {
  return {
    fid: pos.fid,
    seq: pos.seq,
    prev: pos.prev,
    wire,
    dmx: wire.subarray(0, DMX_BYTES),
    typ: wire[DMX_BYTES]!,
    payload: wire.subarray(DMX_BYTES + 1, SIGNED_WIRE_BYTES),
    signature: wire.subarray(SIGNED_WIRE_BYTES),
    mid: midOf(pos, wire),
  }
}

/**
 * Builds and signs an entry from a 48-byte payload.
 * @param pos - the entry's position; `signer.publicKey` must be `pos.fid`.
 * @param typ - the type byte (see {@link ENTRY_TYPE}).
 * @param payload48 - exactly 48 bytes.
 * @throws PacketError PACKET_LENGTH for wrong lengths, PACKET_SEQ for a bad seq.
 */
export function createEntry(pos: EntryPosition, typ: number, payload48: Uint8Array, signer: Signer): Entry {
  checkLength(payload48, PAYLOAD_BYTES, 'payload48')
  if (!Number.isInteger(typ) || typ < 0 || typ > 255) throw new TypeError(`"typ" expected a byte, got ${typ}`)
  const name = entryName(pos) // checks the position first: bad lengths are PACKET_LENGTH, not a key mismatch
  if (!equalBytes(signer.publicKey, pos.fid)) {
    throw new TypeError('the signer\'s public key is not the fid of the entry position')
  }
  const dmx = entryDmx(pos)
  const wire = new Uint8Array(PACKET_BYTES)
  wire.set(dmx, 0)
  wire[DMX_BYTES] = typ
  wire.set(payload48, DMX_BYTES + 1)
  const sig = signer.sign(concatBytes(name, wire.subarray(0, SIGNED_WIRE_BYTES)))
  checkLength(sig, SIGNATURE_BYTES, 'signature')
  wire.set(sig, SIGNED_WIRE_BYTES)
  return decoded(pos, wire)
}

/**
 * Builds a plain48 entry. A shorter payload is zero-padded on the right, as the reference does.
 * @throws PacketError PACKET_PAYLOAD for a payload over 48 bytes (the reference silently cut it;
 *   use a sidechain entry for longer content).
 * @example
 * ```ts
 * import { createPlainEntry, genesisPosition } from '@tinyssb/packet'
 * import { ed25519 } from '@tinyssb/packet/ed25519'
 * const signer = ed25519.signer(new Uint8Array(32).fill(7))
 * const e = createPlainEntry(genesisPosition(signer.publicKey), new TextEncoder().encode('hi'), signer)
 * ```
 */
export function createPlainEntry(pos: EntryPosition, payload: Uint8Array, signer: Signer): Entry {
  if (payload.length > PAYLOAD_BYTES) {
    throw new PacketError(
      'PACKET_PAYLOAD',
      `plain48 payload expected at most ${PAYLOAD_BYTES} bytes, got ${payload.length} (use a sidechain entry)`,
    )
  }
  const p48 = new Uint8Array(PAYLOAD_BYTES)
  p48.set(payload)
  return createEntry(pos, ENTRY_TYPE.PLAIN48, p48, signer)
}

/** Why {@link checkEntry} rejected a wire. */
export type EntryCheck =
  | { readonly ok: true; readonly entry: Entry }
  | { readonly ok: false; readonly code: 'PACKET_LENGTH' | 'PACKET_DMX' | 'PACKET_SIGNATURE' }

/**
 * Checks `wire` as the entry at `pos`, in the reference's order but with an explicit length check
 * first: length 120, then wire[0:7] = dmx(pos), then the signature over name ‖ wire[0:56].
 * Never throws for bad wire data; `pos` itself must be well-formed.
 */
export function checkEntry(pos: EntryPosition, wire: Uint8Array, verifier: Verifier): EntryCheck {
  return check(pos, wire, verifier, false)
}

function check(pos: EntryPosition, wire: Uint8Array, verifier: Verifier, view: boolean): EntryCheck {
  const dmx = nameHash(pos) // checks the position first: a bad one throws
  if (!(wire instanceof Uint8Array) || wire.length !== PACKET_BYTES) return { ok: false, code: 'PACKET_LENGTH' }
  for (let i = 0; i < DMX_BYTES; i++) if (dmx.charCodeAt(i) !== wire[i]) return { ok: false, code: 'PACKET_DMX' }
  // a copy unless the caller owns `wire`: the entry does not change when the caller's buffer does
  const own = view ? wire : wire.slice()
  if (verifier !== TRUST && !verifier.verify(own.subarray(SIGNED_WIRE_BYTES), nameAnd(pos, own.subarray(0, SIGNED_WIRE_BYTES)), pos.fid)) {
    return { ok: false, code: 'PACKET_SIGNATURE' }
  }
  return { ok: true, entry: decoded(pos, own) }
}

/**
 * Verifies `wire` as the entry at `pos` and decodes it.
 * @throws PacketError PACKET_LENGTH (not 120 bytes), PACKET_DMX (wrong position), PACKET_SIGNATURE.
 */
export function verifyEntry(pos: EntryPosition, wire: Uint8Array, verifier: Verifier): Entry {
  return checked(pos, wire, check(pos, wire, verifier, false))
}

function checked(pos: EntryPosition, wire: Uint8Array, r: EntryCheck): Entry {
  if (r.ok) return r.entry
  const what = `entry seq ${pos.seq}`
  const msg =
    r.code === 'PACKET_LENGTH'
      ? `${what}: expected ${PACKET_BYTES} bytes, got ${wire instanceof Uint8Array ? wire.length : typeof wire}`
      : r.code === 'PACKET_DMX'
        ? `${what}: DMX does not match the feed position (fid, seq, prev)`
        : `${what}: signature does not verify under the feed ID`
  throw new PacketError(r.code, msg)
}

/** Options of {@link decodeEntry}. */
export interface DecodeOptions {
  /**
   * The entry's byte fields are views of `wire` instead of a copy (default false): for a caller
   * that owns the buffer and does not change it afterwards (it saves an allocation per entry).
   */
  readonly view?: boolean
}

/**
 * Decodes `wire` as the entry at `pos` without checking its signature: for entries read back
 * from a log that checked them on append, and for checking signatures in a batch afterwards.
 * Still checks length and DMX.
 * @throws PacketError PACKET_LENGTH, PACKET_DMX.
 */
export function decodeEntry(pos: EntryPosition, wire: Uint8Array, opts?: DecodeOptions): Entry {
  return checked(pos, wire, check(pos, wire, TRUST, opts?.view === true))
}

const TRUST: Verifier = { verify: () => true }
