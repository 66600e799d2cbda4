// The MVDS wire codec: plain MvdsPayload/MvdsMessage values to and from protobuf bytes, through
// @bufbuild/protobuf and the descriptors generated from proto/sync.proto (Go numbering) and
// proto/sync_rfc.proto (RFC numbering). Checks ids, sizes and counts on both ways.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import { MvdsError } from './errors.js'
import * as go from './gen/sync_pb.js'
import * as rfc from './gen/sync_rfc_pb.js'
import { ID_BYTES, type MvdsMessage, type MvdsMetadata, type MvdsPayload, type WireNumbering } from './types.js'

/** Largest payload the codec reads or writes by default: the largest UDP/IPv4 datagram. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 65_507
/** Most records (acks + offers + requests + messages) in one payload by default. */
export const DEFAULT_MAX_RECORDS = 4096
/** Largest message body by default. */
export const DEFAULT_MAX_BODY_BYTES = 65_000
/** Most parents of one message by default. */
export const DEFAULT_MAX_PARENTS = 256

/** Bounds that protect a node from a hostile or broken peer. */
export interface MvdsLimits {
  readonly maxPayloadBytes: number
  readonly maxRecords: number
  readonly maxBodyBytes: number
  readonly maxParents: number
}

/** Options of the codec functions. */
export interface CodecOptions {
  /** Field numbers: 'go' (default, the Go reference and status-go) or 'rfc'. */
  readonly numbering?: WireNumbering
  /** Overrides of the default limits. */
  readonly limits?: Partial<MvdsLimits>
}

/** The default limits. */
export const DEFAULT_LIMITS: MvdsLimits = Object.freeze({
  maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
  maxRecords: DEFAULT_MAX_RECORDS,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxParents: DEFAULT_MAX_PARENTS,
})

const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n

function limitsOf(options: CodecOptions | undefined): MvdsLimits {
  return options?.limits ? { ...DEFAULT_LIMITS, ...options.limits } : DEFAULT_LIMITS
}

function schemas(numbering: WireNumbering | undefined) {
  if (numbering === undefined || numbering === 'go') return go
  if (numbering === 'rfc') return rfc as unknown as typeof go // same shapes, other field numbers
  throw new TypeError(`mvds codec: "numbering" expected 'go' or 'rfc', got ${String(numbering)}`)
}

function checkId(what: string, id: Uint8Array): void {
  if (id.length !== ID_BYTES) throw new MvdsError('MVDS_ID_LENGTH', `mvds: ${what} expected ${ID_BYTES} bytes, got ${id.length}`)
}

/**
 * Checks one message against the limits.
 * @throws MvdsError MVDS_GROUP_LENGTH, MVDS_BODY_TOO_LARGE, MVDS_TOO_MANY_PARENTS, MVDS_ID_LENGTH, MVDS_TIMESTAMP.
 */
export function checkMessage(m: MvdsMessage, limits: MvdsLimits = DEFAULT_LIMITS): void {
  if (m.groupId.length !== ID_BYTES) {
    throw new MvdsError('MVDS_GROUP_LENGTH', `mvds: group id expected ${ID_BYTES} bytes, got ${m.groupId.length}`)
  }
  if (typeof m.timestamp !== 'bigint' || m.timestamp < INT64_MIN || m.timestamp > INT64_MAX) {
    throw new MvdsError('MVDS_TIMESTAMP', `mvds: timestamp expected an int64 bigint, got ${String(m.timestamp)}`)
  }
  if (m.body.length > limits.maxBodyBytes) {
    throw new MvdsError('MVDS_BODY_TOO_LARGE', `mvds: body of ${m.body.length} bytes exceeds ${limits.maxBodyBytes}`)
  }
  const parents = m.metadata?.parents ?? []
  if (parents.length > limits.maxParents) {
    throw new MvdsError('MVDS_TOO_MANY_PARENTS', `mvds: ${parents.length} parents exceed ${limits.maxParents}`)
  }
  for (const p of parents) checkId('parent id', p)
}

/**
 * Checks a payload's ids, record count and messages against the limits.
 * @throws MvdsError MVDS_TOO_MANY_RECORDS, MVDS_ID_LENGTH and the codes of {@link checkMessage}.
 */
export function checkPayload(p: MvdsPayload, limits: MvdsLimits = DEFAULT_LIMITS): void {
  const records = p.acks.length + p.offers.length + p.requests.length + p.messages.length
  if (records > limits.maxRecords) {
    throw new MvdsError('MVDS_TOO_MANY_RECORDS', `mvds: ${records} records exceed ${limits.maxRecords}`)
  }
  for (const id of p.acks) checkId('ack', id)
  for (const id of p.offers) checkId('offer', id)
  for (const id of p.requests) checkId('request', id)
  for (const m of p.messages) checkMessage(m, limits)
}

function toProtoMessage(s: typeof go, m: MvdsMessage): go.Message {
  return create(s.MessageSchema, {
    groupId: m.groupId,
    timestamp: m.timestamp,
    body: m.body,
    metadata: m.metadata ? create(s.MetadataSchema, { parents: [...m.metadata.parents], ephemeral: m.metadata.ephemeral }) : undefined,
  })
}

// Copies every byte string out of the frame, so a kept id never pins a whole datagram.
function fromProtoMessage(m: go.Message): MvdsMessage {
  const out: { -readonly [K in keyof MvdsMessage]: MvdsMessage[K] } = {
    groupId: m.groupId.slice(),
    timestamp: m.timestamp,
    body: m.body.slice(),
  }
  if (m.metadata) out.metadata = { parents: m.metadata.parents.map((p) => p.slice()), ephemeral: m.metadata.ephemeral }
  return out
}

function checkSize(bytes: Uint8Array, limits: MvdsLimits): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('mvds codec: expected a Uint8Array')
  if (bytes.length > limits.maxPayloadBytes) {
    throw new MvdsError('MVDS_TOO_LARGE', `mvds: ${bytes.length} bytes exceed maxPayloadBytes ${limits.maxPayloadBytes}`)
  }
}

function parse<T>(fn: () => T, what: string): T {
  try {
    return fn()
  } catch (err) {
    throw new MvdsError('MVDS_DECODE', `mvds: not a protobuf ${what}: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Encodes a payload (proto3, fields in number order, as Go's proto.Marshal).
 * @throws MvdsError the codes of {@link checkPayload}, or MVDS_TOO_LARGE for a result above maxPayloadBytes.
 */
export function encodePayload(payload: MvdsPayload, options?: CodecOptions): Uint8Array {
  const limits = limitsOf(options)
  checkPayload(payload, limits)
  const s = schemas(options?.numbering)
  const bytes = toBinary(
    s.PayloadSchema,
    create(s.PayloadSchema, {
      acks: [...payload.acks],
      offers: [...payload.offers],
      requests: [...payload.requests],
      messages: payload.messages.map((m) => toProtoMessage(s, m)),
    }),
  )
  checkSize(bytes, limits)
  return bytes
}

/**
 * Decodes and checks a payload. Unknown fields are skipped.
 * @throws MvdsError MVDS_TOO_LARGE, MVDS_DECODE, and the codes of {@link checkPayload}.
 */
export function decodePayload(bytes: Uint8Array, options?: CodecOptions): MvdsPayload {
  const limits = limitsOf(options)
  checkSize(bytes, limits)
  const s = schemas(options?.numbering)
  const p = parse(() => fromBinary(s.PayloadSchema, bytes, { readUnknownFields: false }), 'Payload')
  const out: MvdsPayload = {
    acks: p.acks.map((id) => id.slice()),
    offers: p.offers.map((id) => id.slice()),
    requests: p.requests.map((id) => id.slice()),
    messages: p.messages.map(fromProtoMessage),
  }
  checkPayload(out, limits)
  return out
}

/**
 * Encodes one message alone (what the Go reference stores and what `message_bytes` in the vectors are).
 * @throws MvdsError the codes of {@link checkMessage}.
 */
export function encodeMessage(message: MvdsMessage, options?: CodecOptions): Uint8Array {
  checkMessage(message, limitsOf(options))
  const s = schemas(options?.numbering)
  return toBinary(s.MessageSchema, toProtoMessage(s, message))
}

/**
 * Decodes and checks one message.
 * @throws MvdsError MVDS_TOO_LARGE, MVDS_DECODE and the codes of {@link checkMessage}.
 */
export function decodeMessage(bytes: Uint8Array, options?: CodecOptions): MvdsMessage {
  const limits = limitsOf(options)
  checkSize(bytes, limits)
  const s = schemas(options?.numbering)
  const m = fromProtoMessage(parse(() => fromBinary(s.MessageSchema, bytes, { readUnknownFields: false }), 'Message'))
  checkMessage(m, limits)
  return m
}

function varintBytes(n: number): number {
  let bytes = 1
  while (n >= 0x80) {
    n = Math.floor(n / 0x80)
    bytes++
  }
  return bytes
}

/**
 * How many bytes one record (an id, or a message encoded alone in `contentBytes`) adds to an
 * encoded payload: its field tag, its length prefix and its content. Used to split to an MTU.
 */
export function recordBytes(contentBytes: number, numbering: WireNumbering = 'go'): number {
  const tagBytes = numbering === 'rfc' ? 3 : 1 // (5001..5004 << 3 | 2) needs a 3-byte varint
  return tagBytes + varintBytes(contentBytes) + contentBytes
}
