// Typed errors: PacketError with a stable code, name 'PacketError', instanceof TinySSBError.
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { nodeEd25519 } from '../src/ed25519-node.js'
import { sodiumEd25519 } from '../src/sodium.js'
import { hmacScheme } from '../src/hmac.js'
import {
  ENTRY_TYPE,
  MAX_SEQ,
  PacketError,
  TinySSBError,
  checkEntry,
  createEntry,
  createPlainEntry,
  encodeSidechain,
  entryMid,
  entryName,
  genesisPosition,
  nextDmx,
  readSidechain,
  readSidechainAsync,
} from '../src/index.js'
import { bytes, expectPacketError, hex } from './vectors.js'

const signer = nodeEd25519.signer(new Uint8Array(32).fill(1))
const fid = signer.publicKey
const gen = genesisPosition(fid)

describe('PacketError', () => {
  it('has a stable name and code, keeps its cause, and extends TinySSBError', () => {
    const cause = new Error('low level')
    const e = new PacketError('PACKET_LENGTH', 'x expected 120 bytes, got 3', { cause })
    expect(e).toBeInstanceOf(TinySSBError)
    expect(e.name).toBe('PacketError')
    expect(e.code).toBe('PACKET_LENGTH')
    expect(e.cause).toBe(cause)
    expect(String(e)).toBe('PacketError: x expected 120 bytes, got 3')
    expect(new TinySSBError('X', 'y').name).toBe('TinySSBError')
  })
})

describe('entries', () => {
  it.each([49, 61, 120])('a %i-byte plain payload → PACKET_PAYLOAD', (n) => {
    expectPacketError(() => createPlainEntry(gen, new Uint8Array(n), signer), 'PACKET_PAYLOAD')
  })

  it.each([
    ['fid 31 bytes', { fid: fid.subarray(1), seq: 1, prev: gen.prev }],
    ['fid 33 bytes', { fid: new Uint8Array(33), seq: 1, prev: gen.prev }],
    ['prev 19 bytes', { fid, seq: 1, prev: gen.prev.subarray(1) }],
    ['prev 32 bytes', { fid, seq: 1, prev: fid }],
  ])('%s → PACKET_LENGTH', (_what, pos) => {
    expectPacketError(() => entryName(pos), 'PACKET_LENGTH')
    expectPacketError(() => createPlainEntry(pos, new Uint8Array(1), signer), 'PACKET_LENGTH')
    expectPacketError(() => checkEntry(pos, new Uint8Array(120), nodeEd25519), 'PACKET_LENGTH')
  })

  it.each([-1, 2 ** 32, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('seq %s → PACKET_SEQ', (seq) => {
    const pos = { ...gen, seq }
    expectPacketError(() => entryName(pos), 'PACKET_SEQ')
    expectPacketError(() => createPlainEntry(pos, new Uint8Array(1), signer), 'PACKET_SEQ')
    expectPacketError(() => nextDmx(fid, seq, gen.prev), 'PACKET_SEQ')
  })

  it('seq 0 and 2^32-1 are valid positions; nextDmx at 2^32-1 → PACKET_SEQ', () => {
    for (const seq of [0, MAX_SEQ]) {
      const e = createPlainEntry({ ...gen, seq }, new Uint8Array(0), signer)
      expect(checkEntry({ ...gen, seq }, e.wire, nodeEd25519).ok).toBe(true)
    }
    expect(nextDmx(fid, MAX_SEQ - 1, gen.prev)).toHaveLength(7)
    expectPacketError(() => nextDmx(fid, MAX_SEQ, gen.prev), 'PACKET_SEQ')
  })

  it('other lengths: payload48, wire for a mid, genesis fid → PACKET_LENGTH', () => {
    expectPacketError(() => createEntry(gen, ENTRY_TYPE.PLAIN48, new Uint8Array(47), signer), 'PACKET_LENGTH')
    expectPacketError(() => entryMid(gen, new Uint8Array(119)), 'PACKET_LENGTH')
    expectPacketError(() => genesisPosition(fid.subarray(0, 20)), 'PACKET_LENGTH')
  })

  it('programming errors stay TypeErrors: a type byte outside 0..255, a signer of another feed', () => {
    expect(() => createEntry(gen, 256, new Uint8Array(48), signer)).toThrow(TypeError)
    const other = nodeEd25519.signer(new Uint8Array(32).fill(2))
    expect(() => createPlainEntry(gen, new Uint8Array(1), other)).toThrow(TypeError)
  })

  it.each([nobleEd25519, nodeEd25519, sodiumEd25519, hmacScheme()])('$backend: a seed that is not 32 bytes → PACKET_LENGTH', (scheme) => {
    expectPacketError(() => scheme.signer(new Uint8Array(31)), 'PACKET_LENGTH')
    expectPacketError(() => scheme.publicKey(new Uint8Array(64)), 'PACKET_LENGTH')
  })
})

describe('sidechains', () => {
  const content = new Uint8Array(1000).map((_, i) => i * 7)
  const { payload48, blobs } = encodeSidechain(content)
  const store = new Map(blobs.map((b, i) => [hex(i === 0 ? payload48.subarray(28) : blobs[i - 1]!.subarray(100)), b]))
  const get = (p: Uint8Array) => store.get(hex(p))

  it('a blob that does not hash to its pointer → CHAIN_BLOB', async () => {
    const wrong = (p: Uint8Array) => (hex(p) === hex(payload48.subarray(28)) ? blobs[1] : get(p))
    expectPacketError(() => readSidechain(payload48, wrong), 'CHAIN_BLOB')
    await expect(readSidechainAsync(payload48, async (p) => wrong(p))).rejects.toMatchObject({ name: 'PacketError', code: 'CHAIN_BLOB' })
  })

  it('a blob that is not 120 bytes → CHAIN_BLOB', () => {
    expectPacketError(() => readSidechain(payload48, (p) => get(p)?.subarray(0, 100)), 'CHAIN_BLOB')
  })

  it('a chain that ends (zero pointer) before the announced length → CHAIN_BLOB', () => {
    const short = payload48.slice()
    short.fill(0, 28) // no first blob, although 1000 bytes are announced
    expectPacketError(() => readSidechain(short, get), 'CHAIN_BLOB')
  })

  it('announced length over maxBytes → CHAIN_TOO_LONG, before any lookup', async () => {
    const never = () => expect.unreachable('lookup must not be called')
    expectPacketError(() => readSidechain(payload48, never, { maxBytes: 999 }), 'CHAIN_TOO_LONG')
    await expect(readSidechainAsync(payload48, never, { maxBytes: 999 })).rejects.toMatchObject({ code: 'CHAIN_TOO_LONG' })
    expect(readSidechain(payload48, get, { maxBytes: 1000 }).complete).toBe(true)
    // the default limit (64 MiB) refuses a 2^32-1 length announced by a hostile payload
    expectPacketError(() => readSidechain(bytes(`feffffffff${'00'.repeat(43)}`), never), 'CHAIN_TOO_LONG')
  })

  it('a payload that is not 48 bytes → PACKET_LENGTH', () => {
    expectPacketError(() => readSidechain(new Uint8Array(47), get), 'PACKET_LENGTH')
  })
})
