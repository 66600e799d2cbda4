// Every vector of the Go reference (vectors/mvds/go-reference.json, MVDS_VECTORS overrides):
// decode → same fields, encode → same bytes, ids equal; and the same values under RFC numbering.
import { loadMvdsVectors, type MvdsMessageVector } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { decodeMessage, decodePayload, encodeMessage, encodePayload, messageId, type MvdsMessage } from '../src/index.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'))

const vectors = loadMvdsVectors()
const byLabel = new Map(vectors.messages.map((m) => [m.label, m]))

function fields(v: MvdsMessageVector): MvdsMessage {
  const m: MvdsMessage = { groupId: bytes(v.group_id), timestamp: v.timestamp, body: bytes(v.body) }
  if (v.parents !== undefined || v.ephemeral !== undefined) {
    return { ...m, metadata: { parents: (v.parents ?? []).map(bytes), ephemeral: v.ephemeral ?? false } }
  }
  return m
}

function view(m: MvdsMessage) {
  return {
    groupId: hex(m.groupId),
    timestamp: m.timestamp,
    body: hex(m.body),
    metadata: m.metadata && { parents: m.metadata.parents.map(hex), ephemeral: m.metadata.ephemeral },
  }
}

describe('Go reference vectors: messages', () => {
  it('has the timestamps beyond 2^53 as exact bigints', () => {
    expect(vectors.messages.map((m) => m.timestamp)).toContain(9223372036854775807n)
    expect(vectors.messages.length).toBeGreaterThanOrEqual(14)
  })

  it.each(vectors.messages)('$label: decode, encode, id', (v) => {
    const decoded = decodeMessage(bytes(v.message_bytes))
    expect(view(decoded)).toEqual(view(fields(v)))
    expect(hex(encodeMessage(fields(v)))).toBe(v.message_bytes)
    expect(hex(encodeMessage(decoded))).toBe(v.message_bytes)
    expect(hex(messageId(decoded))).toBe(v.id)
    expect(hex(messageId(fields(v)))).toBe(v.id)
  })

  it.each(vectors.messages)('$label: round trip under RFC numbering', (v) => {
    const rfc = encodeMessage(fields(v), { numbering: 'rfc' })
    if (v.message_bytes !== '') expect(hex(rfc)).not.toBe(v.message_bytes)
    expect(view(decodeMessage(rfc, { numbering: 'rfc' }))).toEqual(view(fields(v)))
  })
})

describe('Go reference vectors: payloads', () => {
  it.each(vectors.payloads)('$label: decode, encode', (v) => {
    const messages = v.messages.map((label) => fields(byLabel.get(label)!))
    const payload = { acks: v.acks.map(bytes), offers: v.offers.map(bytes), requests: v.requests.map(bytes), messages }
    expect(hex(encodePayload(payload))).toBe(v.payload_bytes)
    const decoded = decodePayload(bytes(v.payload_bytes))
    expect(decoded.acks.map(hex)).toEqual(v.acks)
    expect(decoded.offers.map(hex)).toEqual(v.offers)
    expect(decoded.requests.map(hex)).toEqual(v.requests)
    expect(decoded.messages.map(view)).toEqual(messages.map(view))
    expect(decoded.messages.map((m) => hex(messageId(m)))).toEqual(v.messages.map((l) => byLabel.get(l)!.id))
    expect(hex(encodePayload(decoded))).toBe(v.payload_bytes)
    const rfc = encodePayload(payload, { numbering: 'rfc' })
    expect(hex(encodePayload(decodePayload(rfc, { numbering: 'rfc' })))).toBe(v.payload_bytes)
  })
})
