// Fuzz of the KISS decoder: random and mutated byte streams, cut into random chunks, in
// every mode. The decoder never throws on input (bad frames are counted drops), never hands out a
// frame longer than its limit, and gives the same frames and counts for any split of the stream.
// Seeded (TINYSSB_FUZZ_SEED=<n> explores another seed), a fixed number of runs, a time limit.
import fc from 'fast-check'
import { FUZZ } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { FEND, FESC, TFEND, TFESC, kissDecoder, kissEncode, type KissDecoderOptions } from '../src/kiss-codec.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const special = fc.constantFrom(FEND, FESC, TFEND, TFESC, 0x00, 0x10)
const byte = fc.oneof(special, fc.integer({ min: 0, max: 255 }))
const frame = fc.array(byte, { minLength: 0, maxLength: 300 }).map((a) => Uint8Array.from(a))
const command = fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined })
// streams: raw bytes biased to the special values, or encoded frames with some bytes changed
const encoded = fc.array(fc.tuple(frame, command), { maxLength: 6 }).map((fs) => fs.flatMap(([f, cmd]) => [...kissEncode(f, { commandByte: cmd })]))
const stream = fc.oneof(
  fc.array(byte, { maxLength: 800 }),
  encoded,
  fc.tuple(encoded, fc.array(fc.tuple(fc.nat(), byte), { minLength: 1, maxLength: 6 })).map(([s, edits]) => {
    for (const [at, b] of edits) if (s.length) s[at % s.length] = b
    return s
  }),
).map((a) => Uint8Array.from(a))
const options = fc.record({
  maxFrame: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  commandByte: fc.option(fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 255 })), { nil: undefined }),
})

function decode(chunks: Uint8Array[], opts: Omit<KissDecoderOptions, 'onFrame' | 'onDrop'>) {
  const frames: string[] = []
  const drops: string[] = []
  const dec = kissDecoder({ ...opts, onFrame: (f) => frames.push(hex(f)), onDrop: (r) => drops.push(r) })
  for (const c of chunks) dec.push(c) // any exception here fails the property
  return { frames, drops, stats: JSON.stringify(dec.stats) }
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  return [...points, bytes.length].map((p, i, all) => bytes.subarray(i ? all[i - 1]! : 0, p))
}

describe('fuzz: the KISS decoder never throws and does not depend on how the stream is cut', () => {
  it('any stream, any chunking, any options', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), options, (s, cuts, opts) => {
        const whole = decode([s], opts)
        expect(decode(split(s, cuts), opts)).toEqual(whole)
        const limit = opts.maxFrame ?? 256
        for (const f of whole.frames) expect(f.length / 2).toBeGreaterThan(0)
        for (const f of whole.frames) expect(f.length / 2).toBeLessThanOrEqual(limit)
        // every frame is closed by a FEND of its own
        expect(whole.frames.length).toBeLessThanOrEqual(s.filter((b) => b === FEND).length)
        // what comes out goes back in: re-encoding the frames decodes to the same frames
        const again = decode([Uint8Array.from(whole.frames.flatMap((h) => [...kissEncode(Buffer.from(h, 'hex'))]))], { maxFrame: limit })
        expect(again.frames).toEqual(whole.frames)
      }),
      FUZZ,
    )
  })

  it('a byte at a time gives what one push gives', () => {
    fc.assert(
      fc.property(stream, options, (s, opts) => {
        expect(decode([...s].map((b) => Uint8Array.of(b)), opts)).toEqual(decode([s], opts))
      }),
      { ...FUZZ, numRuns: 300 },
    )
  })
})
