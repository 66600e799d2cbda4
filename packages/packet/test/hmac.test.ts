// hmac.json: the micropython variant, signature = HMAC-SHA512(seed, signed).
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { hmacScheme } from '../src/hmac.js'
import { checkEntry, createChainEntry, createPlainEntry, readSidechain, verifyEntry } from '../src/index.js'
import { bytes, expectPacketError, hex, loadVectors, position, type ChainVector, type PlainVector } from './vectors.js'

const v = loadVectors<{
  entries: PlainVector[]
  chain_entries: ChainVector[]
  negative: { label: string; reason: string; verify_seed: string; fid: string; seq: number; prev: string; wire: string; rejected_by: string }[]
}>('hmac.json')

const seed = bytes(v.entries[0]!.seed)
const scheme = hmacScheme([seed])

describe('hmac.json entries', () => {
  it.each(v.entries)('builds and parses $label', (e) => {
    expect(e.sig_alg).toBe('hmac-sha512')
    const signer = scheme.signer(bytes(e.seed))
    expect(hex(signer.publicKey)).toBe(e.fid)
    const built = createPlainEntry(position(e), bytes(e.payload_in), signer)
    expect(hex(built.wire)).toBe(e.wire)
    expect(hex(built.mid)).toBe(e.mid)
    expect(hex(built.signature)).toBe(e.signature)
    const parsed = verifyEntry(position(e), bytes(e.wire), scheme)
    expect(hex(parsed.payload)).toBe(e.payload48)
    expect(hex(parsed.mid)).toBe(e.mid)
  })

  it.each(v.chain_entries)('builds and parses chain entry $label', (e) => {
    const { entry, blobs } = createChainEntry(position(e), bytes(e.content), scheme.signer(bytes(e.seed)))
    expect(hex(entry.wire)).toBe(e.wire)
    expect(hex(entry.mid)).toBe(e.mid)
    expect(blobs.map(hex)).toEqual(e.blobs.map((b) => b.blob))
    const parsed = verifyEntry(position(e), bytes(e.wire), scheme)
    const store = new Map(e.blobs.map((b) => [b.hashptr, bytes(b.blob)]))
    const r = readSidechain(parsed.payload, (p) => store.get(hex(p)))
    expect(r.complete && hex(r.content)).toBe(e.content)
  })

  it('entries and chain entries form one feed', () => {
    const all = [...v.entries, ...v.chain_entries]
    expect(all[0]!.seq).toBe(1)
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev).toBe(all[i - 1]!.mid)
  })

  it('a scheme without the seed cannot verify; addSeed fixes that', () => {
    const e = v.entries[1]!
    const empty = hmacScheme()
    expectPacketError(() => verifyEntry(position(e), bytes(e.wire), empty), 'PACKET_SIGNATURE')
    empty.addSeed(bytes(e.seed))
    expect(hex(verifyEntry(position(e), bytes(e.wire), empty).mid)).toBe(e.mid)
  })

  it('an HMAC entry does not pass as ed25519', () => {
    const e = v.entries[1]!
    expect(checkEntry(position(e), bytes(e.wire), nobleEd25519)).toEqual({ ok: false, code: 'PACKET_SIGNATURE' })
  })
})

describe('hmac.json negative', () => {
  it.each(v.negative)('rejects $label ($reason)', (c) => {
    const code = c.rejected_by === 'dmx' ? 'PACKET_DMX' : 'PACKET_SIGNATURE'
    const s = hmacScheme([bytes(c.verify_seed)])
    expect(checkEntry(position(c), bytes(c.wire), s)).toEqual({ ok: false, code })
    expectPacketError(() => verifyEntry(position(c), bytes(c.wire), s), code)
  })
})
