// Test helpers: the poc-01 vectors (vectors/ at the repository root, made by the Python reference;
// TINYSSB_VECTORS overrides the directory) and hex. packet cannot import @tinyssb/testkit (testkit
// depends on packet), so this small reader stands beside testkit's loadVectors.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { concatBytes } from '../src/bytes.js'
import { entryName } from '../src/entry.js'
import { PacketError, TinySSBError, type PacketErrorCode, type VerifyItem } from '../src/index.js'

const vectorsDir = (): string =>
  process.env.TINYSSB_VECTORS
    ? resolve(process.env.TINYSSB_VECTORS)
    : fileURLToPath(new URL('../../../vectors/', import.meta.url))

/** Reads one vector file; throws (failing the suite loudly) when it is missing or not what it claims. */
export function loadVectors<T = any>(file: string): T {
  const path = resolve(vectorsDir(), file)
  if (!existsSync(path)) throw new Error(`test vector file missing: ${path} (set TINYSSB_VECTORS to the directory that holds ${file})`)
  const data = JSON.parse(readFileSync(path, 'utf8'))
  if (data.format !== 'tinyssb-poc01-vectors/1' || data.file !== file) {
    throw new Error(`${path}: expected format tinyssb-poc01-vectors/1 and file "${file}", got ${data.format} / ${data.file}`)
  }
  return data as T
}

/** The raw bytes of a vector file (for the sha256 sums in meta.json). */
export function vectorFileBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(vectorsDir(), file)))
}

// Hex through Buffer, independent of the package's own toHex/fromHex.
export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
export const bytes = (h: string): Uint8Array => {
  if (!/^(?:[0-9a-f]{2})*$/.test(h)) throw new Error(`bad hex in vectors: ${h.slice(0, 20)}`)
  return new Uint8Array(Buffer.from(h, 'hex'))
}
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A vector row of an entry: feed, position and wire, in hex. */
export type EntryRow = { fid: string; seq: number; prev: string; wire: string }

/** The signatures of vector rows as verify items (what the signature covers: name ‖ wire[0:56]). */
export function verifyItemsOf(rows: readonly EntryRow[]): VerifyItem[] {
  return rows.map((r) => {
    const wire = bytes(r.wire)
    const pos = { fid: bytes(r.fid), seq: r.seq, prev: bytes(r.prev) }
    return { sig: wire.subarray(56, 120), msg: concatBytes(entryName(pos), wire.subarray(0, 56)), publicKey: pos.fid }
  })
}

/** Asserts that `fn` throws a PacketError with `code` (and the error class contract). */
export function expectPacketError(fn: () => unknown, code: PacketErrorCode): PacketError {
  let thrown: unknown
  try {
    fn()
  } catch (e) {
    thrown = e
  }
  expect(thrown, `expected PacketError ${code}, nothing was thrown`).toBeDefined()
  expect(thrown).toBeInstanceOf(PacketError)
  expect(thrown).toBeInstanceOf(TinySSBError)
  expect(thrown).toBeInstanceOf(Error)
  const err = thrown as PacketError
  expect(err.name).toBe('PacketError')
  expect(err.code).toBe(code)
  expect(err.message.length).toBeGreaterThan(0)
  return err
}

// Vector record shapes (vectors/README.md "Files").
export interface PlainVector {
  label: string
  key_index: number
  sig_alg: string
  seed: string
  fid: string
  seq: number
  prev: string
  payload_in: string
  typ: string
  payload48: string
  name: string
  dmx: string
  signed: string
  signature: string
  wire: string
  mid: string
  next_dmx: string
}
export interface ChainVector extends Omit<PlainVector, 'payload_in'> {
  content_len: number
  content: string
  varint: string
  blob_count: number
  blobs: { hashptr: string; blob: string }[]
}
export interface NegativeVector {
  label: string
  reason: string
  derived_from: string
  fid: string
  seq: number
  prev: string
  wire: string
  wire_len: number
  rejected_by: 'dmx' | 'signature'
}
export interface LogVector {
  steps: Record<string, any>[]
  file_name: string
  file_size: number
  file_bytes: string
  header: { anchor_seq: number; anchor_mid: string; front_seq: number; front_mid: string; fid: string }
  entries: { seq: number; reserved: string; wire: string; mid: string }[]
  blobs: { path: string; bytes: string }[]
  key_index: number
  fid: string
  seed?: string
}

/** The (fid, seq, prev) of a vector record, as bytes. */
export const position = (v: { fid: string; seq: number; prev: string }) => ({
  fid: bytes(v.fid),
  seq: v.seq,
  prev: bytes(v.prev),
})
