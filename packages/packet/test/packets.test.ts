// packets.json and negative.json, checked both ways on every ed25519 backend (sodium included).
import { ed25519 as autoEd25519 } from '@tinyssb/packet/ed25519'
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { nodeEd25519 } from '../src/ed25519-node.js'
import { sodiumEd25519 } from '../src/sodium.js'
import {
  ENTRY_TYPE,
  checkEntry,
  createEntry,
  createPlainEntry,
  decodeEntry,
  entryDmx,
  entryMid,
  entryName,
  entrySignatureItem,
  nextDmx,
  verifyEntry,
  type SignatureScheme,
} from '../src/index.js'
import {
  bytes,
  expectPacketError,
  hex,
  loadVectors,
  position,
  type NegativeVector,
  type PlainVector,
} from './vectors.js'

const packets = loadVectors<{ entries: PlainVector[] }>('packets.json').entries
const negative = loadVectors<{
  cases: NegativeVector[]
  reference_divergent: (Omit<NegativeVector, 'rejected_by' | 'wire_len'> & { reference_accepts: boolean; reference_mid: string })[]
}>('negative.json')

// `/ed25519` is imported through the package's exports map, so it is the built dist (sodium on Node
// here, where sodium-native is a dev dependency).
const schemes: SignatureScheme[] = [nobleEd25519, nodeEd25519, sodiumEd25519, autoEd25519]

it('has the vectors the README lists', () => {
  expect(packets).toHaveLength(15)
  expect(negative.cases).toHaveLength(24)
  expect(negative.reference_divergent).toHaveLength(1)
})

describe.each(schemes.map((scheme) => ({ scheme, name: `${scheme.backend} (${scheme === autoEd25519 ? '/ed25519' : 'direct'})` })))(
  'packets.json with $name',
  ({ scheme }) => {
    it.each(packets)('builds $label', (v) => {
      const seed = bytes(v.seed)
      const pos = position(v)
      const signer = scheme.signer(seed)
      expect(hex(signer.publicKey)).toBe(v.fid)
      expect(hex(scheme.publicKey(seed))).toBe(v.fid)
      expect(hex(entryName(pos))).toBe(v.name)
      expect(hex(entryDmx(pos))).toBe(v.dmx)

      const payloadIn = bytes(v.payload_in)
      const e =
        payloadIn.length <= 48
          ? createPlainEntry(pos, payloadIn, signer)
          : // The reference silently cut a longer payload; we refuse it, so build from payload48.
            (expectPacketError(() => createPlainEntry(pos, payloadIn, signer), 'PACKET_PAYLOAD'),
            createEntry(pos, ENTRY_TYPE.PLAIN48, bytes(v.payload48), signer))
      expect(hex(e.wire)).toBe(v.wire)
      expect(hex(e.mid)).toBe(v.mid)
      expect(hex(e.dmx)).toBe(v.dmx)
      expect(hex(e.signature)).toBe(v.signature)
      expect(hex(e.payload)).toBe(v.payload48)
      expect(e.typ).toBe(Number.parseInt(v.typ, 16))
      expect(hex(entryName(pos)) + hex(e.wire.subarray(0, 56))).toBe(v.signed)
      expect(hex(entryMid(pos, e.wire))).toBe(v.mid)
      if (v.seq < 0xffffffff) expect(hex(nextDmx(pos.fid, v.seq, e.mid))).toBe(v.next_dmx)
    })

    it.each(packets)('parses $label', (v) => {
      const pos = position(v)
      const e = verifyEntry(pos, bytes(v.wire), scheme)
      expect(e.typ).toBe(Number.parseInt(v.typ, 16))
      expect(hex(e.payload)).toBe(v.payload48)
      expect(hex(e.signature)).toBe(v.signature)
      expect(hex(e.mid)).toBe(v.mid)
      expect(hex(e.dmx)).toBe(v.dmx)
      expect(hex(e.wire)).toBe(v.wire)
      expect(e.seq).toBe(v.seq)
      expect(hex(e.fid)).toBe(v.fid)
      expect(hex(e.prev)).toBe(v.prev)
      expect(scheme.verify(bytes(v.signature), bytes(v.signed), bytes(v.fid))).toBe(true)
    })

    it.each(negative.cases)('rejects $label ($reason)', (c) => {
      const code = c.wire_len !== 120 ? 'PACKET_LENGTH' : c.rejected_by === 'dmx' ? 'PACKET_DMX' : 'PACKET_SIGNATURE'
      const wire = bytes(c.wire)
      expect(wire.length).toBe(c.wire_len)
      const r = checkEntry(position(c), wire, scheme)
      expect(r).toEqual({ ok: false, code })
      expectPacketError(() => verifyEntry(position(c), wire, scheme), code)
    })

    it.each(negative.reference_divergent)('rejects $label although the reference accepts it (strict RFC 8032)', (c) => {
      expect(c.reference_accepts).toBe(true)
      const r = checkEntry(position(c), bytes(c.wire), scheme)
      expect(r).toEqual({ ok: false, code: 'PACKET_SIGNATURE' })
    })
  },
)

describe('packets.json feeds', () => {
  it('main/… is one chain from genesis: each prev is the previous mid, each next_dmx the next dmx', () => {
    const main = packets.filter((v) => v.label.startsWith('main/'))
    expect(main[0]!.seq).toBe(1)
    expect(main[0]!.prev).toBe(main[0]!.fid.slice(0, 40))
    for (let i = 1; i < main.length; i++) {
      expect(main[i]!.seq).toBe(main[i - 1]!.seq + 1)
      expect(main[i]!.prev).toBe(main[i - 1]!.mid)
      expect(main[i]!.dmx).toBe(main[i - 1]!.next_dmx)
    }
  })

  it('decodeEntry checks length and DMX but not the signature', () => {
    const v = packets[0]!
    const wire = bytes(v.wire)
    wire[100]! ^= 1
    expect(hex(decodeEntry(position(v), wire).payload)).toBe(v.payload48)
    expectPacketError(() => verifyEntry(position(v), wire, nodeEd25519), 'PACKET_SIGNATURE')
    expectPacketError(() => decodeEntry({ ...position(v), seq: 2 }, wire), 'PACKET_DMX')
    expectPacketError(() => decodeEntry(position(v), wire.subarray(1)), 'PACKET_LENGTH')
  })
})

describe('entrySignatureItem', () => {
  it('is what verify() checks: valid entries verify, a flipped byte or another position does not', () => {
    for (const v of packets.slice(0, 4)) {
      const item = entrySignatureItem(position(v), bytes(v.wire))
      expect(nodeEd25519.verify(item.sig, item.msg, item.publicKey)).toBe(true)
      expect(item.msg.length).toBe(66 + 56)
      const flipped = bytes(v.wire)
      flipped[20]! ^= 1
      const bad = entrySignatureItem(position(v), flipped)
      expect(nodeEd25519.verify(bad.sig, bad.msg, bad.publicKey)).toBe(false)
      const moved = entrySignatureItem({ ...position(v), seq: position(v).seq + 1 }, bytes(v.wire))
      expect(nodeEd25519.verify(moved.sig, moved.msg, moved.publicKey)).toBe(false)
    }
    expectPacketError(() => entrySignatureItem(position(packets[0]!), new Uint8Array(119)), 'PACKET_LENGTH')
  })
})

describe('negative.json reference_divergent', () => {
  it.each(negative.reference_divergent)('$label differs from its source only in S, and has the mid the reference reports', (c) => {
    const src = packets.find((v) => v.label === c.derived_from)!
    expect(src).toBeDefined()
    expect(c.wire.slice(0, 2 * 88)).toBe(src.wire.slice(0, 2 * 88)) // dmx ‖ typ ‖ payload48 ‖ R unchanged
    const le = (h: string) => BigInt(`0x${Buffer.from(h, 'hex').reverse().toString('hex')}`)
    const L = (1n << 252n) + 27742317777372353535851937790883648493n
    expect(le(c.wire.slice(2 * 88))).toBe(le(src.wire.slice(2 * 88)) + L)
    expect(hex(entryMid(position(c), bytes(c.wire)))).toBe(c.reference_mid)
    expect(c.reference_mid).not.toBe(src.mid)
  })
})
