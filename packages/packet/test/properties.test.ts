// fast-check properties: round trips, bit flips, and garbage in → false or PacketError, never anything else.
// node:crypto does the bulk of the signing and verifying; noble (pure JS, slower) gets fewer runs.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  PacketError,
  blobPointer,
  checkEntry,
  createPlainEntry,
  decodeVarint,
  decodeWant,
  encodeSidechain,
  encodeVarint,
  encodeWant,
  entryDmx,
  readSidechain,
  verifyEntry,
  type EntryPosition,
} from '../src/index.js'
import { bytes, hex, loadVectors, type PlainVector } from './vectors.js'

const u8 = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })
const seq32 = fc.bigInt({ min: 0n, max: 0xffffffffn }).map(Number)
const position = fc.record({ seed: u8(32), seq: seq32, prev: u8(20) })

/** Runs `fn` and fails unless it returns or throws a PacketError. */
function onlyPacketErrors(fn: () => unknown): void {
  try {
    fn()
  } catch (e) {
    if (!(e instanceof PacketError)) throw e
  }
}

describe('round trips', () => {
  it('plain entry: create → verify gives the payload, zero-padded to 48 (node-crypto)', () => {
    fc.assert(
      fc.property(position, fc.uint8Array({ maxLength: 48 }), ({ seed, seq, prev }, payload) => {
        const signer = nodeEd25519.signer(seed)
        const pos = { fid: signer.publicKey, seq, prev }
        const e = verifyEntry(pos, createPlainEntry(pos, payload, signer).wire, nodeEd25519)
        const padded = new Uint8Array(48)
        padded.set(payload)
        expect(hex(e.payload)).toBe(hex(padded))
        expect(e.typ).toBe(0)
      }),
      { numRuns: 100 },
    )
  })

  it('plain entry: noble and node-crypto make the same wire and accept each other', () => {
    fc.assert(
      fc.property(position, fc.uint8Array({ maxLength: 48 }), ({ seed, seq, prev }, payload) => {
        const a = nodeEd25519.signer(seed)
        const b = nobleEd25519.signer(seed)
        expect(hex(b.publicKey)).toBe(hex(a.publicKey))
        const pos = { fid: a.publicKey, seq, prev }
        const wa = createPlainEntry(pos, payload, a).wire
        const wb = createPlainEntry(pos, payload, b).wire
        expect(hex(wb)).toBe(hex(wa))
        expect(checkEntry(pos, wa, nobleEd25519).ok).toBe(true)
      }),
      { numRuns: 15 },
    )
  })

  it('sidechain: encode → read gives the content, for lengths 0..2000', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (content) => {
        const { payload48, blobs } = encodeSidechain(content)
        const head = content.length < 253 ? 1 : 3
        expect(blobs).toHaveLength(Math.max(0, Math.ceil((head + content.length - 28) / 100)))
        const store = new Map(blobs.map((b) => [hex(blobPointer(b)), b]))
        const r = readSidechain(payload48, (p) => store.get(hex(p)))
        expect(r.complete && hex(r.content)).toBe(hex(content))
      }),
      { numRuns: 150 },
    )
  })

  const edges = [0n, 252n, 253n, 0xffffn, 0x10000n, 0xffffffffn, 0x100000000n, (1n << 64n) - 1n]
  const u64 = fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.constantFrom(...edges),
    fc.bigInt({ min: 0n, max: 0x1_0000_0000n }),
  )

  it('varint: encode → decode for 0..2^64-1, and the encoding is minimal', () => {
    fc.assert(
      fc.property(u64, (n) => {
        const enc = encodeVarint(n)
        expect(decodeVarint(enc)).toEqual({ value: n, size: enc.length })
        const minimal = n <= 252n ? 1 : n <= 0xffffn ? 3 : n <= 0xffffffffn ? 5 : 9
        expect(enc.length).toBe(minimal)
      }),
      { numRuns: 500 },
    )
  })

  it('WANT: encode → decode for 1..5 records', () => {
    const record = fc.record({ fid: u8(32), seq: seq32 })
    fc.assert(
      fc.property(u8(7), fc.array(record, { minLength: 1, maxLength: 5 }), (dmx, records) => {
        const frame = encodeWant(dmx, records)
        expect(frame.length).toBe(7 + 36 * records.length)
        const d = decodeWant(frame)
        expect(hex(d.dmx)).toBe(hex(dmx))
        expect(d.records.map((r) => [hex(r.fid), r.seq])).toEqual(records.map((r) => [hex(r.fid), r.seq]))
      }),
      { numRuns: 200 },
    )
  })
})

describe('bit flips', () => {
  const v = loadVectors<{ entries: PlainVector[] }>('packets.json').entries.find((e) => e.label === 'main/seq6')!
  const pos = { fid: bytes(v.fid), seq: v.seq, prev: bytes(v.prev) }

  it('every one of the 960 single-bit flips of a vector wire is rejected (node-crypto)', () => {
    const wire = bytes(v.wire)
    expect(checkEntry(pos, wire, nodeEd25519).ok).toBe(true)
    const accepted: number[] = []
    for (let bit = 0; bit < 960; bit++) {
      wire[bit >> 3]! ^= 0x80 >> (bit & 7)
      if (checkEntry(pos, wire, nodeEd25519).ok) accepted.push(bit)
      wire[bit >> 3]! ^= 0x80 >> (bit & 7)
    }
    expect(accepted).toEqual([])
  })

  it('any single bit flip of any valid wire is rejected by checkEntry (node-crypto)', () => {
    fc.assert(
      fc.property(position, fc.uint8Array({ maxLength: 48 }), fc.integer({ min: 0, max: 959 }), ({ seed, seq, prev }, payload, bit) => {
        const signer = nodeEd25519.signer(seed)
        const p = { fid: signer.publicKey, seq, prev }
        const wire = createPlainEntry(p, payload, signer).wire.slice()
        wire[bit >> 3]! ^= 0x80 >> (bit & 7)
        const r = checkEntry(p, wire, nodeEd25519)
        expect(r.ok).toBe(false)
        if (!r.ok) expect(r.code).toBe(bit < 56 ? 'PACKET_DMX' : 'PACKET_SIGNATURE')
      }),
      { numRuns: 200 },
    )
  })
})

describe('garbage in', () => {
  const v = loadVectors<{ entries: PlainVector[] }>('packets.json').entries[0]!
  const pos: EntryPosition = { fid: bytes(v.fid), seq: v.seq, prev: bytes(v.prev) }
  const dmx = entryDmx(pos)
  // random bytes, and random 120-byte wires that carry the right DMX so the signature check runs
  const wires = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    u8(120),
    u8(113).map((rest) => new Uint8Array([...dmx, ...rest])),
  )

  it.each([nodeEd25519, nobleEd25519])('checkEntry never throws for bad wire bytes ($backend)', (scheme) => {
    fc.assert(
      fc.property(wires, (wire) => {
        const r = checkEntry(pos, wire, scheme)
        expect(r.ok).toBe(false)
        if (!r.ok) expect(r.code).toBe(wire.length !== 120 ? 'PACKET_LENGTH' : hex(wire.subarray(0, 7)) !== hex(dmx) ? 'PACKET_DMX' : 'PACKET_SIGNATURE')
      }),
      { numRuns: scheme === nobleEd25519 ? 40 : 300 },
    )
  })

  it('decodeWant: whole records or PacketError WANT_LENGTH', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (frame) => {
        if (frame.length < 43) expect(() => decodeWant(frame)).toThrow(PacketError)
        else expect(decodeWant(frame).records).toHaveLength(Math.floor((frame.length - 7) / 36))
      }),
      { numRuns: 300 },
    )
  })

  it('decodeVarint: a value within the input, or PacketError VARINT_TRUNCATED', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 200 }), (buf, offset) => {
        try {
          const { size } = decodeVarint(buf, offset)
          expect(offset + size).toBeLessThanOrEqual(buf.length)
        } catch (e) {
          expect(e).toBeInstanceOf(PacketError)
          expect((e as PacketError).code).toBe('VARINT_TRUNCATED')
        }
      }),
      { numRuns: 300 },
    )
  })

  it('readSidechain: returns or throws PacketError, whatever the payload and the blobs handed back', () => {
    const answers = fc.array(fc.option(fc.oneof(u8(120), fc.uint8Array({ maxLength: 200 })), { nil: undefined }), { maxLength: 5 })
    fc.assert(
      fc.property(fc.oneof(u8(48), fc.uint8Array({ maxLength: 200 })), answers, fc.boolean(), (payload, blobs, limit) => {
        let i = 0
        onlyPacketErrors(() => readSidechain(payload, () => blobs[i++], limit ? { maxBytes: 4096 } : {}))
      }),
      { numRuns: 300 },
    )
  })

  describe.each([
    { scheme: nodeEd25519, runs: 300 },
    { scheme: nobleEd25519, runs: 30 },
  ])('verify with $scheme.backend returns false, never throws', ({ scheme, runs }) => {
    const msg = fc.uint8Array({ maxLength: 200 })
    const realKey = nodeEd25519.publicKey(new Uint8Array(32).fill(9))

    it('garbage signatures under a real key', () => {
      fc.assert(fc.property(u8(64), msg, (sig, m) => {
        expect(scheme.verify(sig, m, realKey)).toBe(false)
      }), { numRuns: runs })
    })

    it('garbage public keys (most are not curve points)', () => {
      fc.assert(fc.property(u8(64), msg, u8(32), (sig, m, pub) => {
        expect(scheme.verify(sig, m, pub)).toBe(false)
      }), {
        numRuns: runs,
      })
    })

    it('signature and key of the wrong length', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 100 }), msg, fc.uint8Array({ maxLength: 40 }), (sig, m, pub) => {
          fc.pre(sig.length !== 64 || pub.length !== 32)
          expect(scheme.verify(sig, m, pub)).toBe(false)
        }),
        { numRuns: runs },
      )
    })
  })
})

describe('sha256 backends', () => {
  it('the Node fast path gives the same bytes as noble, for any input', async () => {
    const { sha256 } = await import('../src/hash.js')
    const { sha256: noble } = await import('@noble/hashes/sha2.js')
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const a = sha256(data)
        expect(a).toBeInstanceOf(Uint8Array)
        expect(Buffer.isBuffer(a)).toBe(false)
        expect(Array.from(a)).toEqual(Array.from(noble(data)))
      }),
      { numRuns: 300 },
    )
  })
})
