// The journal's record layout. Each record: bodyLength (u32 LE) ‖ crc32(body) (u32 LE) ‖ body,
// body = kind (u8) ‖ fields. A record whose length runs past the end of the file or whose CRC
// does not match is a torn tail (a write cut by a crash) and is cut on open.
import { decodeMessage, encodeMessage, type MvdsLimits } from '../codec.js'
import type { PeerKey, SyncRecord } from '../stores.js'
import type { MvdsMessage, RecordType } from '../types.js'

/** Largest record body accepted on replay; anything longer is a torn or garbage tail. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024
export const HEADER_BYTES = 8

/** Stored messages were checked when they came in; the journal reads them back without limits. */
const NO_LIMITS: Partial<MvdsLimits> = { maxPayloadBytes: MAX_RECORD_BYTES, maxBodyBytes: MAX_RECORD_BYTES, maxParents: Number.MAX_SAFE_INTEGER, maxRecords: Number.MAX_SAFE_INTEGER }

const TYPES: readonly RecordType[] = ['OFFER', 'REQUEST', 'MESSAGE']
const ALL_TYPES = 0xff

/** One journal entry. */
export type JournalEntry =
  | { readonly kind: 'message'; readonly id: Uint8Array; readonly message: MvdsMessage }
  | { readonly kind: 'state-put'; readonly record: SyncRecord }
  | { readonly kind: 'state-remove'; readonly peer: PeerKey; readonly id: Uint8Array; readonly type?: RecordType | undefined }
  | { readonly kind: 'peer-add' | 'peer-remove'; readonly group: Uint8Array; readonly peer: PeerKey }
  | { readonly kind: 'epoch'; readonly epoch: number }

const KIND = { message: 1, 'state-put': 2, 'state-remove': 3, 'peer-add': 4, 'peer-remove': 5, epoch: 6 } as const

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: true })

let CRC_TABLE: Uint32Array | undefined
/** CRC-32 (IEEE), as zlib's. */
export function crc32(bytes: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      CRC_TABLE[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) (out.set(p, at), (at += p.length))
  return out
}

function numbers(...values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 8)
  const v = new DataView(b.buffer)
  values.forEach((x, i) => v.setFloat64(i * 8, x, true))
  return b
}

function body(e: JournalEntry): Uint8Array {
  const kind = Uint8Array.of(KIND[e.kind])
  switch (e.kind) {
    case 'message':
      return concat([kind, e.id, encodeMessage(e.message, { limits: NO_LIMITS })])
    case 'state-put': {
      const r = e.record
      const group = r.groupId ? concat([Uint8Array.of(1), r.groupId]) : Uint8Array.of(0)
      return concat([kind, Uint8Array.of(TYPES.indexOf(r.type)), numbers(r.copy, r.sendCount, r.sendEpoch), r.id, group, utf8.encode(r.peer)])
    }
    case 'state-remove':
      return concat([kind, Uint8Array.of(e.type ? TYPES.indexOf(e.type) : ALL_TYPES), e.id, utf8.encode(e.peer)])
    case 'peer-add':
    case 'peer-remove':
      return concat([kind, e.group, utf8.encode(e.peer)])
    case 'epoch':
      return concat([kind, numbers(e.epoch)])
  }
}

/** One framed record. */
export function encodeEntry(e: JournalEntry): Uint8Array {
  const b = body(e)
  const out = new Uint8Array(HEADER_BYTES + b.length)
  const v = new DataView(out.buffer)
  v.setUint32(0, b.length, true)
  v.setUint32(4, crc32(b), true)
  out.set(b, HEADER_BYTES)
  return out
}

/** Decodes one record body. @throws Error for a body that does not parse (the caller reports corruption). */
export function decodeEntry(b: Uint8Array): JournalEntry {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const type = (i: number): RecordType => {
    const t = TYPES[i]
    if (!t) throw new Error(`bad record type ${i}`)
    return t
  }
  const need = (n: number): void => {
    if (b.length < n) throw new Error(`record of ${b.length} bytes, expected at least ${n}`)
  }
  need(1)
  switch (b[0]) {
    case KIND.message:
      need(33)
      return { kind: 'message', id: b.slice(1, 33), message: decodeMessage(b.subarray(33), { limits: NO_LIMITS }) }
    case KIND['state-put']: {
      need(59)
      const hasGroup = b[58] === 1
      need(hasGroup ? 91 : 59)
      const peerAt = hasGroup ? 91 : 59
      return {
        kind: 'state-put',
        record: {
          type: type(b[1]!),
          copy: v.getFloat64(2, true),
          sendCount: v.getFloat64(10, true),
          sendEpoch: v.getFloat64(18, true),
          id: b.slice(26, 58),
          groupId: hasGroup ? b.slice(59, 91) : undefined,
          peer: fromUtf8.decode(b.subarray(peerAt)),
        },
      }
    }
    case KIND['state-remove']:
      need(34)
      return { kind: 'state-remove', type: b[1] === ALL_TYPES ? undefined : type(b[1]!), id: b.slice(2, 34), peer: fromUtf8.decode(b.subarray(34)) }
    case KIND['peer-add']:
    case KIND['peer-remove']:
      need(33)
      return { kind: b[0] === KIND['peer-add'] ? 'peer-add' : 'peer-remove', group: b.slice(1, 33), peer: fromUtf8.decode(b.subarray(33)) }
    case KIND.epoch:
      need(9)
      return { kind: 'epoch', epoch: v.getFloat64(1, true) }
    default:
      throw new Error(`unknown record kind ${b[0]}`)
  }
}
