import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FEND, FESC, kissDecoder, kissEncode, type KissDropReason } from '../src/kiss-codec.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const frameArb = fc.uint8Array({ minLength: 1, maxLength: 256 })
// Bytes biased towards the special values so escapes and boundaries are exercised.
const byteArb = fc.oneof(fc.constantFrom(FEND, FESC, 0xdc, 0xdd, 0x00), fc.integer({ min: 0, max: 255 }))
const specialFrameArb = fc.array(byteArb, { minLength: 1, maxLength: 256 }).map((a) => Uint8Array.from(a))

function decodeAll(chunks: Uint8Array[], opts: { maxFrame?: number; commandByte?: boolean | number } = {}) {
  const frames: string[] = []
  const drops: KissDropReason[] = []
  const dec = kissDecoder({ ...opts, onFrame: (f) => frames.push(hex(f)), onDrop: (r) => drops.push(r) })
  for (const c of chunks) dec.push(c)
  return { frames, drops, stats: dec.stats }
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]))
}

/** Splits `bytes` at the given cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let prev = 0
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p))
    prev = p
  }
  return out
}

describe('kissEncode', () => {
  it('frames and escapes as docs/PROTOCOL.md says', () => {
    expect(hex(kissEncode(Uint8Array.of(0x01, 0xc0, 0xdb, 0x02)))).toBe('c001dbdcdbdd02c0')
    expect(hex(kissEncode(Uint8Array.of(0x01), { commandByte: 0 }))).toBe('c00001c0')
    expect(hex(kissEncode(Uint8Array.of(0x01), { commandByte: 0xc0 }))).toBe('c0dbdc01c0')
    expect(() => kissEncode(Uint8Array.of(1), { commandByte: 256 })).toThrow(TypeError)
  })

  it('never puts FEND inside a frame', () => {
    fc.assert(
      fc.property(specialFrameArb, (f) => {
        const e = kissEncode(f)
        expect(e.subarray(1, -1).includes(FEND)).toBe(false)
      }),
      { numRuns: 200 },
    )
  })
})

describe('kissDecoder', () => {
  it('decode(encode(x)) = x for frames of 1..256 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(frameArb, specialFrameArb), (f) => {
        expect(decodeAll([kissEncode(f)]).frames).toEqual([hex(f)])
      }),
      { numRuns: 300 },
    )
  })

  it('gives the same frames for every split of the stream, also byte by byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(frameArb, specialFrameArb), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (frames, cuts) => {
          const stream = concat(frames.map((f) => kissEncode(f)))
          const want = frames.map(hex)
          expect(decodeAll([stream]).frames).toEqual(want)
          expect(decodeAll(split(stream, cuts)).frames).toEqual(want)
          expect(decodeAll([...stream].map((b) => Uint8Array.of(b))).frames).toEqual(want)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('never throws on random streams and resyncs: after garbage, FEND + a valid frame decodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), frameArb, fc.array(fc.nat(), { maxLength: 10 }), (junk, f, cuts) => {
        const stream = concat([junk, Uint8Array.of(FEND), kissEncode(f)])
        const { frames, stats } = decodeAll(split(stream, cuts))
        expect(frames.at(-1)).toBe(hex(f))
        expect(stats.frames).toBe(frames.length)
      }),
      { numRuns: 300 },
    )
  })

  it('discards and counts garbage before the first FEND', () => {
    const r = decodeAll([Uint8Array.of(1, 2, 3), kissEncode(Uint8Array.of(9))])
    expect(r.frames).toEqual(['09'])
    expect(r.drops).toEqual(['GARBAGE'])
  })

  it('ignores empty frames: FEND FEND is idle fill and not a drop', () => {
    const r = decodeAll([Uint8Array.of(FEND, FEND, FEND), kissEncode(Uint8Array.of(7)), Uint8Array.of(FEND, FEND)])
    expect(r.frames).toEqual(['07'])
    expect(r.drops).toEqual([])
  })

  it('drops and counts over-long frames, then resyncs', () => {
    const long = new Uint8Array(257).fill(0x41)
    const ok = new Uint8Array(256).fill(0xc0)
    const r = decodeAll([kissEncode(long), kissEncode(ok), kissEncode(long)])
    expect(r.frames).toEqual([hex(ok)])
    expect(r.stats.dropped.TOO_LONG).toBe(2)
    expect(r.drops).toEqual(['TOO_LONG', 'TOO_LONG'])
    expect(decodeAll([kissEncode(new Uint8Array(11))], { maxFrame: 10 }).stats.dropped.TOO_LONG).toBe(1)
  })

  it('drops a frame with a bad escape and resyncs on the next FEND', () => {
    const bad = Uint8Array.of(FEND, 1, FESC, 0x42, 2, 3, FEND)
    const r = decodeAll([bad, kissEncode(Uint8Array.of(5))])
    expect(r.frames).toEqual(['05'])
    expect(r.stats.dropped.BAD_ESCAPE).toBe(1)
    // FESC FEND: the FEND still ends the frame and starts the next one.
    const r2 = decodeAll([Uint8Array.of(FEND, 1, FESC, FEND, 6, FEND)])
    expect(r2.frames).toEqual(['06'])
    expect(r2.drops).toEqual(['BAD_ESCAPE'])
  })

  it('command-byte mode: round trip, stripped; non-data commands dropped', () => {
    fc.assert(
      fc.property(frameArb, fc.integer({ min: 0, max: 15 }), (f, port) => {
        const cmd = port << 4 // data frame on `port`
        expect(decodeAll([kissEncode(f, { commandByte: cmd })], { commandByte: true }).frames).toEqual([hex(f)])
        expect(decodeAll([kissEncode(f, { commandByte: 0 })], { commandByte: 0 }).frames).toEqual([hex(f)])
      }),
      { numRuns: 100 },
    )
    const r = decodeAll(
      [
        kissEncode(Uint8Array.of(1), { commandByte: 0x01 }), // TXDELAY: not data
        kissEncode(Uint8Array.of(2), { commandByte: 0x10 }), // data on port 1
        kissEncode(new Uint8Array(0), { commandByte: 0x00 }), // no data
        kissEncode(Uint8Array.of(3), { commandByte: 0x00 }),
      ],
      { commandByte: 0 },
    )
    expect(r.frames).toEqual(['03'])
    expect(r.drops).toEqual(['COMMAND', 'COMMAND', 'EMPTY'])
    // maxFrame counts data bytes, not the command byte.
    expect(decodeAll([kissEncode(new Uint8Array(256), { commandByte: 0 })], { commandByte: true }).frames).toHaveLength(1)
  })

  it('rejects bad options', () => {
    expect(() => kissDecoder({ maxFrame: 0, onFrame: () => {} })).toThrow(TypeError)
    expect(() => kissDecoder({ commandByte: -1, onFrame: () => {} })).toThrow(TypeError)
  })
})
