// chain20 sidechains (vectors/README.md "chain20 (sidechain) encoding"):
//   buf      = varint(len(content)) ‖ content
//   payload  = buf[0:28] ‖ hashptr(blob0)            (or buf zero-padded to 48 with no blobs)
//   blob_i   = rest[100i : 100i+100] ‖ hashptr(blob_i+1), the last ending in 20 zero bytes
//   hashptr  = sha256(blob)[0:20]
import { checkLength, concatBytes, equalBytes, isZero } from './bytes.js'
import {
  BLOB_BYTES,
  BLOB_CONTENT_BYTES,
  CHAIN_INLINE_BYTES,
  ENTRY_TYPE,
  HASHPTR_BYTES,
  PAYLOAD_BYTES,
} from './constants.js'
import type { Signer } from './crypto.js'
import { createEntry, type Entry, type EntryPosition } from './entry.js'
import { PacketError } from './errors.js'
import { sha256 } from './hash.js'
import { decodeVarint, encodeVarint } from './varint.js'

/** Content longer than this is refused by readers unless they raise the limit (hostile length fields). */
export const MAX_CHAIN_CONTENT_BYTES = 64 * 1024 * 1024

/** The hash pointer of a blob: sha256(blob)[0:20]. */
export function blobPointer(blob: Uint8Array): Uint8Array {
  return sha256(blob).subarray(0, HASHPTR_BYTES)
}

/** A sidechain: the entry payload and its blobs in chain order (blobs[0] is pointed to by the payload). */
export interface Sidechain {
  readonly payload48: Uint8Array
  readonly blobs: Uint8Array[]
}

/** Encodes `content` as a chain20 payload and its blobs. */
export function encodeSidechain(content: Uint8Array): Sidechain {
  const buf = concatBytes(encodeVarint(content.length), content)
  const payload48 = new Uint8Array(PAYLOAD_BYTES)
  if (buf.length <= CHAIN_INLINE_BYTES) {
    payload48.set(buf)
    return { payload48, blobs: [] }
  }
  const rest = buf.subarray(CHAIN_INLINE_BYTES)
  const count = Math.ceil(rest.length / BLOB_CONTENT_BYTES)
  const blobs = new Array<Uint8Array>(count)
  let next: Uint8Array = new Uint8Array(HASHPTR_BYTES)
  for (let i = count - 1; i >= 0; i--) {
    const blob = new Uint8Array(BLOB_BYTES)
    blob.set(rest.subarray(i * BLOB_CONTENT_BYTES, (i + 1) * BLOB_CONTENT_BYTES))
    blob.set(next, BLOB_CONTENT_BYTES)
    blobs[i] = blob
    next = blobPointer(blob)
  }
  payload48.set(buf.subarray(0, CHAIN_INLINE_BYTES))
  payload48.set(next, CHAIN_INLINE_BYTES)
  return { payload48, blobs }
}

/**
 * Builds and signs a chain20 entry for `content` of any length.
 * @returns the entry and the blobs to store (chain order).
 */
export function createChainEntry(
  pos: EntryPosition,
  content: Uint8Array,
  signer: Signer,
): { entry: Entry; blobs: Uint8Array[] } {
  const { payload48, blobs } = encodeSidechain(content)
  return { entry: createEntry(pos, ENTRY_TYPE.CHAIN20, payload48, signer), blobs }
}

/** The pointer to the first blob of a chain20 payload, or undefined when the content is inline. */
export function firstBlobPointer(payload48: Uint8Array): Uint8Array | undefined {
  checkLength(payload48, PAYLOAD_BYTES, 'payload48')
  const ptr = payload48.subarray(CHAIN_INLINE_BYTES)
  return isZero(ptr) ? undefined : ptr
}

/** The pointer to the next blob stored at the end of `blob`, or undefined at the chain's end. */
export function nextBlobPointer(blob: Uint8Array): Uint8Array | undefined {
  checkLength(blob, BLOB_BYTES, 'blob')
  const ptr = blob.subarray(BLOB_CONTENT_BYTES)
  return isZero(ptr) ? undefined : ptr
}

/** The result of reading a sidechain: the whole content, or the first blob still missing. */
export type SidechainRead =
  | { readonly complete: true; readonly content: Uint8Array; readonly length: number }
  | { readonly complete: false; readonly missing: Uint8Array; readonly length: number; readonly have: number }

/** Options of {@link readSidechain}. */
export interface ReadSidechainOptions {
  /** Refuse content announced longer than this (default {@link MAX_CHAIN_CONTENT_BYTES}). */
  readonly maxBytes?: number
}

/**
 * Reads chain20 content back, following pointers through `lookup` (a blob store's `get`).
 * Each blob is checked against its pointer. Stops at the first blob `lookup` does not have.
 * @throws PacketError VARINT_TRUNCATED, CHAIN_TOO_LONG, CHAIN_BLOB (a blob that is not 120 bytes,
 *   does not hash to its pointer, or a chain that ends before the announced length).
 */
export function readSidechain(
  payload48: Uint8Array,
  lookup: (ptr: Uint8Array) => Uint8Array | undefined,
  options: ReadSidechainOptions = {},
): SidechainRead {
  const r = new SidechainReader(payload48, options.maxBytes ?? MAX_CHAIN_CONTENT_BYTES)
  for (let ptr = r.next(); ptr; ptr = r.next()) {
    const blob = lookup(ptr)
    if (!blob) return r.missing(ptr)
    r.add(ptr, blob)
  }
  return r.done()
}

/** {@link readSidechain} with an asynchronous lookup, e.g. `(p) => blobStore.get(p)`. */
export async function readSidechainAsync(
  payload48: Uint8Array,
  lookup: (ptr: Uint8Array) => Promise<Uint8Array | undefined>,
  options: ReadSidechainOptions = {},
): Promise<SidechainRead> {
  const r = new SidechainReader(payload48, options.maxBytes ?? MAX_CHAIN_CONTENT_BYTES)
  for (let ptr = r.next(); ptr; ptr = r.next()) {
    const blob = await lookup(ptr)
    if (!blob) return r.missing(ptr)
    r.add(ptr, blob)
  }
  return r.done()
}

/** The step-by-step state of reading a chain, shared by the sync and async readers. */
class SidechainReader {
  readonly length: number
  /** Grows with the blobs received: a hostile length prefix alone allocates nothing big. */
  private content: Uint8Array
  private have: number
  private ptr: Uint8Array | undefined

  constructor(payload48: Uint8Array, maxBytes: number) {
    checkLength(payload48, PAYLOAD_BYTES, 'payload48')
    const { value, size } = decodeVarint(payload48)
    if (value > BigInt(maxBytes)) {
      throw new PacketError('CHAIN_TOO_LONG', `sidechain content of ${value} bytes exceeds the limit of ${maxBytes}`)
    }
    this.length = Number(value)
    this.content = new Uint8Array(Math.min(this.length, 4 * BLOB_BYTES))
    const inline = payload48.subarray(size, Math.min(CHAIN_INLINE_BYTES, size + this.length))
    this.content.set(inline)
    this.have = inline.length
    this.ptr = this.have < this.length ? payload48.subarray(CHAIN_INLINE_BYTES) : undefined
  }

  /** The pointer of the next blob needed, or undefined when the content is complete. */
  next(): Uint8Array | undefined {
    if (this.have >= this.length) return undefined
    if (!this.ptr || isZero(this.ptr)) {
      throw new PacketError('CHAIN_BLOB', `sidechain ends after ${this.have} of ${this.length} bytes`)
    }
    return this.ptr
  }

  add(ptr: Uint8Array, blob: Uint8Array): void {
    if (blob.length !== BLOB_BYTES || !equalBytes(blobPointer(blob), ptr)) {
      throw new PacketError('CHAIN_BLOB', 'blob does not match its hash pointer')
    }
    const n = Math.min(BLOB_CONTENT_BYTES, this.length - this.have)
    if (this.have + n > this.content.length) {
      const grown = new Uint8Array(Math.min(this.length, Math.max(2 * this.content.length, this.have + n)))
      grown.set(this.content.subarray(0, this.have))
      this.content = grown
    }
    this.content.set(blob.subarray(0, n), this.have)
    this.have += n
    this.ptr = blob.subarray(BLOB_CONTENT_BYTES)
  }

  missing(ptr: Uint8Array): SidechainRead {
    return { complete: false, missing: ptr.slice(), length: this.length, have: this.have }
  }

  done(): SidechainRead {
    return { complete: true, content: this.content, length: this.length }
  }
}
