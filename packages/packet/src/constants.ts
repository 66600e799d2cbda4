// Wire constants of tinySSB poc-01 ("tinyssb-v0"), as in the packet spec and vectors/README.md at the repository root.

/** The 10 ASCII bytes "tinyssb-v0" that start every entry name. */
export const PFX = new Uint8Array([0x74, 0x69, 0x6e, 0x79, 0x73, 0x73, 0x62, 0x2d, 0x76, 0x30])
/** A feed ID: an ed25519 public key. */
export const FID_BYTES = 32
/** A message ID: sha256(name ‖ wire)[0:20]; also the `prev` field. */
export const MID_BYTES = 20
/** A sequence number on the wire: 4 bytes big-endian. */
export const SEQ_BYTES = 4
/** name = PFX ‖ fid ‖ seq ‖ prev. */
export const NAME_BYTES = 66
/** The demultiplexing prefix of every frame. */
export const DMX_BYTES = 7
/** The payload of an entry, after its one type byte. */
export const PAYLOAD_BYTES = 48
/** An ed25519 (or HMAC-SHA512) signature. */
export const SIGNATURE_BYTES = 64
/** An entry on the wire and in a log: dmx ‖ typ ‖ payload48 ‖ signature. */
export const PACKET_BYTES = 120
/** The signed part of the wire: dmx ‖ typ ‖ payload48. */
export const SIGNED_WIRE_BYTES = DMX_BYTES + 1 + PAYLOAD_BYTES
/** A sidechain blob: 100 content bytes ‖ 20-byte hash pointer. */
export const BLOB_BYTES = 120
/** Content bytes carried by one blob. */
export const BLOB_CONTENT_BYTES = 100
/** A hash pointer: sha256(blob)[0:20]. */
export const HASHPTR_BYTES = 20
/** Content bytes (varint included) that fit into a chain20 payload before its pointer. */
export const CHAIN_INLINE_BYTES = 28
/** The largest sequence number; an entry there has no successor. */
export const MAX_SEQ = 0xffffffff

/** Entry types (the byte after the DMX). */
export const ENTRY_TYPE = {
  /** 48 bytes of payload, zero-padded. */
  PLAIN48: 0,
  /** varint length ‖ first content bytes ‖ pointer to the first sidechain blob. */
  CHAIN20: 1,
} as const
export type EntryType = (typeof ENTRY_TYPE)[keyof typeof ENTRY_TYPE]
