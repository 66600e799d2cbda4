import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MvdsError,
  decodeMessage,
  decodePayload,
  encodeMessage,
  encodePayload,
  recordBytes,
  type MvdsMessage,
  type MvdsPayload,
} from '../src/index.js'

const PKG = fileURLToPath(new URL('../', import.meta.url))
const id = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const msg = (body = 'hi', extra: Partial<MvdsMessage> = {}): MvdsMessage => ({
  groupId: id(7),
  timestamp: 1n,
  body: new TextEncoder().encode(body),
  ...extra,
})
const empty: MvdsPayload = { acks: [], offers: [], requests: [], messages: [] }

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (err) {
    expect(err).toBeInstanceOf(MvdsError)
    return (err as MvdsError).code
  }
}

describe('codec: bad input gets a typed error with a stable code', () => {
  it('undecodable bytes: MVDS_DECODE', () => {
    expect(codeOf(() => decodePayload(new Uint8Array([0x0a, 0x20, 1, 2])))).toBe('MVDS_DECODE') // truncated bytes field
    expect(codeOf(() => decodePayload(new Uint8Array([0x0f])))).toBe('MVDS_DECODE') // wire type 7
    expect(codeOf(() => decodeMessage(new Uint8Array([0x10, 0xff, 0xff])))).toBe('MVDS_DECODE') // truncated varint
  })

  it('wrong-length ids: MVDS_ID_LENGTH both ways', () => {
    const bad = { ...empty, acks: [new Uint8Array(31)] }
    expect(codeOf(() => encodePayload(bad))).toBe('MVDS_ID_LENGTH')
    // hand-made: field 3 (requests) with a 3-byte id
    expect(codeOf(() => decodePayload(new Uint8Array([0x1a, 3, 1, 2, 3])))).toBe('MVDS_ID_LENGTH')
    expect(codeOf(() => encodeMessage(msg('x', { metadata: { parents: [new Uint8Array(33)], ephemeral: false } })))).toBe('MVDS_ID_LENGTH')
  })

  it('a group id that is not 32 bytes: MVDS_GROUP_LENGTH', () => {
    expect(codeOf(() => encodeMessage({ ...msg(), groupId: new Uint8Array(4) }))).toBe('MVDS_GROUP_LENGTH')
    expect(codeOf(() => decodeMessage(new Uint8Array([0x0a, 1, 9])))).toBe('MVDS_GROUP_LENGTH')
  })

  it('sizes and counts are bounded', () => {
    expect(codeOf(() => decodePayload(new Uint8Array(100), { limits: { maxPayloadBytes: 99 } }))).toBe('MVDS_TOO_LARGE')
    const many = { ...empty, acks: Array.from({ length: 11 }, (_, i) => id(i)) }
    expect(codeOf(() => encodePayload(many, { limits: { maxRecords: 10 } }))).toBe('MVDS_TOO_MANY_RECORDS')
    expect(codeOf(() => decodePayload(encodePayload(many), { limits: { maxRecords: 10 } }))).toBe('MVDS_TOO_MANY_RECORDS')
    const big = msg('x'.repeat(101))
    expect(codeOf(() => encodeMessage(big, { limits: { maxBodyBytes: 100 } }))).toBe('MVDS_BODY_TOO_LARGE')
    expect(codeOf(() => decodePayload(encodePayload({ ...empty, messages: [big] }), { limits: { maxBodyBytes: 100 } }))).toBe('MVDS_BODY_TOO_LARGE')
    const parents = { parents: [id(1), id(2), id(3)], ephemeral: false }
    expect(codeOf(() => encodeMessage(msg('x', { metadata: parents }), { limits: { maxParents: 2 } }))).toBe('MVDS_TOO_MANY_PARENTS')
  })

  it('timestamps outside int64: MVDS_TIMESTAMP', () => {
    expect(codeOf(() => encodeMessage(msg('x', { timestamp: 1n << 63n })))).toBe('MVDS_TIMESTAMP')
    expect(codeOf(() => encodeMessage(msg('x', { timestamp: -(1n << 63n) })))).toBeUndefined()
  })

  it('Go and RFC numbering do not read each other (unknown fields are skipped)', () => {
    const p = { ...empty, acks: [id(1)] }
    expect(decodePayload(encodePayload(p, { numbering: 'rfc' })).acks).toEqual([])
    expect(decodePayload(encodePayload(p), { numbering: 'rfc' }).acks).toEqual([])
  })
})

describe('codec: properties', () => {
  const arbId = fc.uint8Array({ minLength: 32, maxLength: 32 })
  const arbMessage = fc.record({
    groupId: arbId,
    timestamp: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
    body: fc.uint8Array({ maxLength: 200 }),
    metadata: fc.option(fc.record({ parents: fc.array(arbId, { maxLength: 3 }), ephemeral: fc.boolean() }), { nil: undefined }),
  })
  const arbPayload = fc.record({
    acks: fc.array(arbId, { maxLength: 4 }),
    offers: fc.array(arbId, { maxLength: 4 }),
    requests: fc.array(arbId, { maxLength: 4 }),
    messages: fc.array(arbMessage, { maxLength: 4 }),
  })

  it('decode(encode(p)) re-encodes to the same bytes, in both numberings; sizes add up per record', () => {
    fc.assert(
      fc.property(arbPayload, fc.constantFrom('go' as const, 'rfc' as const), (p, numbering) => {
        const bytes = encodePayload(p, { numbering })
        expect(encodePayload(decodePayload(bytes, { numbering }), { numbering })).toEqual(bytes)
        const sum =
          [...p.acks, ...p.offers, ...p.requests].reduce((n, x) => n + recordBytes(x.length, numbering), 0) +
          p.messages.reduce((n, m) => n + recordBytes(encodeMessage(m, { numbering }).length, numbering), 0)
        expect(bytes.length).toBe(sum)
      }),
      { numRuns: 150 },
    )
  })

  it('any bytes either decode or throw an MvdsError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodePayload(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(MvdsError)
        }
      }),
      { numRuns: 2000 },
    )
  })
})

describe('generated code', () => {
  it('src/gen is what buf + protoc-gen-es make of proto/', () => {
    const out = mkdtempSync(join(tmpdir(), 'mvds-gen-'))
    try {
      const bin = join(PKG, 'node_modules/.bin')
      execFileSync(join(bin, 'buf'), ['generate', '-o', out], { cwd: PKG, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } })
      const files = readdirSync(join(PKG, 'src/gen')).sort()
      expect(readdirSync(join(out, 'src/gen')).sort()).toEqual(files)
      for (const f of files) expect(readFileSync(join(out, 'src/gen', f), 'utf8')).toBe(readFileSync(join(PKG, 'src/gen', f), 'utf8'))
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
