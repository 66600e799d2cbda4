// Fuzz of every packet parser: random bytes and mutations of valid input go to
// decodeEntry, checkEntry, decodeWant, readSidechain(Async) and decodeVarint. Any exception other
// than a PacketError fails. Seeded (TINYSSB_FUZZ_SEED=<n> explores another seed; a failure prints
// the seed and path to replay it), a fixed number of runs, and a time limit per property.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  PacketError,
  blobPointer,
  checkEntry,
  createChainEntry,
  createPlainEntry,
  decodeEntry,
  decodeVarint,
  decodeWant,
  encodeVarint,
  encodeWant,
  entryDmx,
  genesisPosition,
  readSidechain,
  readSidechainAsync,
  type Entry,
  type EntryPosition,
} from '../src/index.js'
import { hex } from './vectors.js'
// The fuzz parameters and the mutator are @tinyssb/testkit's, imported from its source: testkit
// depends on @tinyssb/packet, so packet cannot take testkit as a dev dependency without a cycle in the
// workspace build graph. testkit/src/fuzz.ts imports only fast-check (no @tinyssb package), so this
// test-only import adds no edge to that graph and needs no build of testkit.
import { FUZZ, mutated } from '../../testkit/src/fuzz.js'

/** Runs `fn`; a PacketError counts as a clean refusal, any other exception fails the property. */
function parsed<T>(fn: () => T): T | PacketError {
  try {
    return fn()
  } catch (err) {
    if (err instanceof PacketError) return err
    throw err
  }
}

// Valid material to mutate: a few signed entries of one feed, and sidechains of several lengths.
const signer = nodeEd25519.signer(new Uint8Array(32).fill(21))
const feed: Entry[] = []
for (let i = 0, pos: EntryPosition = genesisPosition(signer.publicKey); i < 4; i++) {
  const e = i % 2 ? createChainEntry(pos, new Uint8Array(30 * i), signer).entry : createPlainEntry(pos, new Uint8Array([i]), signer)
  feed.push(e)
  pos = { fid: pos.fid, seq: pos.seq + 1, prev: e.mid }
}
const chains = [0, 20, 27, 28, 200, 253, 1000].map((n) => createChainEntry(genesisPosition(signer.publicKey), new Uint8Array(n).fill(n & 0xff), signer))
const anyBytes = fc.uint8Array({ maxLength: 300 })

describe('fuzz: packet parsers refuse bad input with PacketError, never anything else', () => {
  it('decodeEntry and checkEntry: wires and positions', () => {
    const real = fc.constantFrom(...feed)
    const position = fc.oneof(
      real.map((e) => ({ fid: e.fid, seq: e.seq, prev: e.prev })),
      fc.record({
        fid: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 })),
        seq: fc.oneof(fc.nat(10), fc.integer(), fc.constantFrom(0xffffffff, 2 ** 32, -1, 1.5, Number.NaN, Infinity)),
        prev: fc.oneof(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.uint8Array({ maxLength: 30 })),
      }),
    )
    const wire = fc.oneof(anyBytes, fc.uint8Array({ minLength: 120, maxLength: 120 }), mutated(real.map((e) => e.wire)), real.map((e) => e.wire))
    fc.assert(
      fc.property(position, wire, (pos, w) => {
        const d = parsed(() => decodeEntry(pos, w))
        const c = parsed(() => checkEntry(pos, w, nodeEd25519))
        if (d instanceof PacketError) {
          if (!(c instanceof PacketError)) expect(c.ok).toBe(false) // what decode refuses, check refuses
          return
        }
        expect(hex(d.dmx)).toBe(hex(entryDmx(pos))) // decoded: the right length and DMX
        expect(d.wire.length).toBe(120)
        if (!(c instanceof PacketError) && c.ok) expect(feed.some((e) => hex(e.wire) === hex(w) && e.seq === pos.seq)).toBe(true) // only real entries verify
      }),
      FUZZ,
    )
  })

  it('decodeWant: frames of any length, any record limit', () => {
    const frame = fc.oneof(anyBytes, mutated(fc.constant(encodeWant(new Uint8Array(7), [{ fid: signer.publicKey, seq: 3 }, { fid: signer.publicKey, seq: 9 }]))))
    const limit = fc.option(fc.oneof(fc.nat(5), fc.integer(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.5)), { nil: undefined })
    fc.assert(
      fc.property(frame, limit, (f, max) => {
        const w = parsed(() => decodeWant(f, max))
        if (w instanceof PacketError) {
          expect(w.code).toBe('WANT_LENGTH')
          return
        }
        expect(w.records.length).toBeLessThanOrEqual(Math.floor((f.length - 7) / 36))
        for (const r of w.records) expect(r.fid.length === 32 && Number.isInteger(r.seq) && r.seq >= 0 && r.seq <= 0xffffffff).toBe(true)
      }),
      FUZZ,
    )
  })

  it('decodeVarint: any bytes at any offset within them', () => {
    const buf = fc.oneof(anyBytes, mutated(fc.constantFrom(...[0, 252, 253, 0xffff, 0x10000, 2 ** 32, 2 ** 40].map((n) => encodeVarint(n)))))
    fc.assert(
      fc.property(buf, fc.nat(12), (b, off) => {
        const v = parsed(() => decodeVarint(b, Math.min(off, b.length + 1)))
        if (v instanceof PacketError) {
          expect(v.code).toBe('VARINT_TRUNCATED')
          return
        }
        expect(v.value >= 0n && v.value < 1n << 64n).toBe(true)
        expect(Math.min(off, b.length + 1) + v.size).toBeLessThanOrEqual(b.length)
      }),
      FUZZ,
    )
    expect(() => decodeVarint(new Uint8Array(3), -1)).toThrow(RangeError) // a bad offset is the caller's bug
  })

  // A lookup that answers from the real blobs of `chains`, mutated or not, or with garbage.
  const blobs = chains.flatMap((c) => c.blobs)
  const known = new Map(blobs.map((b) => [hex(blobPointer(b)), b]))
  const answers = fc.array(fc.oneof(fc.constant('real' as const), fc.constant(undefined), mutated(fc.constantFrom(...blobs)), anyBytes), { maxLength: 12 })
  const payload = fc.oneof(
    fc.uint8Array({ minLength: 48, maxLength: 48 }),
    anyBytes,
    fc.constantFrom(...chains.map((c) => c.entry.payload)),
    mutated(fc.constantFrom(...chains.map((c) => c.entry.payload))),
  )
  const maxBytes = fc.option(fc.constantFrom(0, 27, 100, 4096), { nil: undefined })
  const lookupOf = (script: ('real' | Uint8Array | undefined)[]) => {
    let i = 0
    return (ptr: Uint8Array) => {
      const a = i < script.length ? script[i++] : 'real'
      return a === 'real' ? known.get(hex(ptr)) : a
    }
  }
  const checkRead = (r: ReturnType<typeof readSidechain> | PacketError, limit: number | undefined) => {
    if (r instanceof PacketError) return void expect(['VARINT_TRUNCATED', 'CHAIN_TOO_LONG', 'CHAIN_BLOB', 'PACKET_LENGTH']).toContain(r.code)
    expect(r.length).toBeLessThanOrEqual(limit ?? 64 * 1024 * 1024)
    if (r.complete) expect(r.content.length).toBe(r.length)
    else expect(r.missing.length).toBe(20)
  }

  it('readSidechain: any payload, any blobs handed back', () => {
    fc.assert(
      fc.property(payload, answers, maxBytes, (p, script, limit) => {
        checkRead(parsed(() => readSidechain(p, lookupOf(script), limit === undefined ? {} : { maxBytes: limit })), limit)
      }),
      FUZZ,
    )
  })

  it('readSidechainAsync: the same, through an asynchronous lookup', async () => {
    await fc.assert(
      fc.asyncProperty(payload, answers, maxBytes, async (p, script, limit) => {
        const lookup = lookupOf(script)
        const r = await readSidechainAsync(p, async (ptr) => lookup(ptr), limit === undefined ? {} : { maxBytes: limit }).catch((err: unknown) => {
          if (err instanceof PacketError) return err
          throw err
        })
        checkRead(r, limit)
      }),
      { ...FUZZ, numRuns: 300 },
    )
  })

  it('a hostile sidechain length allocates nothing big while blobs are awaited', async () => {
    const p = new Uint8Array(48)
    p.set(encodeVarint(60 * 1024 * 1024))
    p.fill(1, 28) // a pointer to a blob nobody has (yet)
    const before = process.memoryUsage().arrayBuffers
    const waiting: ((b: undefined) => void)[] = []
    const reads = Array.from({ length: 4 }, () => readSidechainAsync(p, () => new Promise<undefined>((resolve) => waiting.push(resolve))))
    await new Promise((r) => setImmediate(r))
    expect(waiting).toHaveLength(4) // all four readers are alive, each waiting for its first blob
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024) // not 4 × 60 MiB
    for (const w of waiting) w(undefined)
    for (const r of await Promise.all(reads)) expect(r).toMatchObject({ complete: false, length: 60 * 1024 * 1024, have: 23 })
  })
})
