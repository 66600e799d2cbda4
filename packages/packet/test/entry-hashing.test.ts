// The receive path's hashing shortcuts (scratch buffer, latin1 digests) give the same bytes as
// hashing fresh buffers with node:crypto, for every position, including bytes ≥ 0x80.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  concatBytes,
  createPlainEntry,
  decodeEntry,
  entryDmx,
  entryMid,
  entryName,
  entrySignatureItem,
  entrySignatureItems,
  genesisPosition,
  nextDmx,
  nextDmxLatin1,
  sha256,
  type Entry,
} from '../src/index.js'
import { ed25519 } from '../src/ed25519.js'
import { mulberry32 } from '@tinyssb/core'

const ref = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest())

describe('entry hashing', () => {
  const rnd = mulberry32(7)
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256))

  it('sha256 equals node:crypto on inputs of many lengths and all byte values', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 66, 120, 186, 1000]) {
      const b = bytes(n)
      expect(sha256(b)).toEqual(ref(b))
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(sha256(all)).toEqual(ref(all))
  })

  it('DMX, next DMX (bytes and latin1) and mid equal hashes of freshly built names', () => {
    for (let k = 0; k < 50; k++) {
      const pos = { fid: bytes(32), seq: 1 + Math.floor(rnd() * 0xfffffffe), prev: bytes(20) }
      const wire = bytes(120)
      const name = entryName(pos)
      expect(entryDmx(pos)).toEqual(ref(name).subarray(0, 7))
      expect(entryMid(pos, wire)).toEqual(ref(concatBytes(name, wire)).subarray(0, 20))
      const next = ref(entryName({ fid: pos.fid, seq: pos.seq + 1, prev: wire.subarray(0, 20) })).subarray(0, 7)
      expect(nextDmx(pos.fid, pos.seq, wire.subarray(0, 20))).toEqual(next)
      expect(Array.from(nextDmxLatin1(pos.fid, pos.seq, wire.subarray(0, 20)), (c) => c.charCodeAt(0))).toEqual(Array.from(next))
    }
  })

  it('decodeEntry copies the wire unless asked for a view; both decode the same entry', () => {
    const signer = ed25519.signer(new Uint8Array(32).fill(9))
    const e = createPlainEntry(genesisPosition(signer.publicKey), new Uint8Array([1, 2, 3]), signer)
    const buf = e.wire.slice()
    const copy = decodeEntry(e, buf)
    const view = decodeEntry(e, buf, { view: true })
    expect(copy.mid).toEqual(e.mid)
    expect(view.mid).toEqual(e.mid)
    buf[10] = buf[10]! ^ 1
    expect(copy.wire).toEqual(e.wire) // unchanged: a copy
    expect(view.wire[10]).toBe(e.wire[10]! ^ 1) // a view of the caller's buffer
  })

  it('a wire that is not a byte array is PACKET_LENGTH, named by its type', () => {
    const pos = { fid: bytes(32), seq: 1, prev: bytes(20) }
    for (const bad of [undefined, 'x'.repeat(120), 120]) {
      expect(() => decodeEntry(pos, bad as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'PACKET_LENGTH', message: `entry seq 1: expected 120 bytes, got ${typeof bad}` }))
    }
    expect(() => decodeEntry(pos, new Uint8Array(119), { view: true })).toThrow(expect.objectContaining({ code: 'PACKET_LENGTH', message: 'entry seq 1: expected 120 bytes, got 119' }))
  })

  it('entrySignatureItems gives the items entrySignatureItem gives, one by one', () => {
    const signer = ed25519.signer(new Uint8Array(32).fill(3))
    let pos = genesisPosition(signer.publicKey)
    const entries: Entry[] = []
    for (let i = 0; i < 5; i++) {
      const e = createPlainEntry(pos, bytes(10), signer)
      entries.push(e)
      pos = { fid: pos.fid, seq: pos.seq + 1, prev: e.mid }
    }
    const batch = entrySignatureItems(entries)
    expect(batch).toHaveLength(5)
    entries.forEach((e, i) => expect(batch[i]).toEqual(entrySignatureItem(e, e.wire)))
    expect(() => entrySignatureItems([{ ...entries[0]!, wire: new Uint8Array(119) }])).toThrow(/120/)
  })
})
