import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FaceError } from '../src/errors.js'
import { loraAirtimeMs } from '../src/lora-airtime.js'
import { KISS_PACING, LORA_PACING, defaultPriority, pacedFace } from '../src/paced-face.js'
import { fakeClock, recordingFace, seededRandom } from './fakes.js'

const frame = (len: number, fill: number): Uint8Array => new Uint8Array(len).fill(fill)

describe('loraAirtimeMs', () => {
  it('follows the Semtech formula', () => {
    // SF7/250 kHz, 4/5, 8 preamble, CRC, explicit header: Tsym = 0.512 ms,
    // preamble 12.25 sym, payload 8 + ceil((960 − 28 + 28 + 16) / 28) · 5 = 183 sym.
    expect(loraAirtimeMs(120)).toBeCloseTo((12.25 + 183) * 0.512, 9)
    expect(loraAirtimeMs(120)).toBeGreaterThan(94)
    expect(loraAirtimeMs(120)).toBeLessThan(150) // PROTOCOL.md: ~94–150 ms
    // SF12/125 kHz: Tsym = 32.768 ms ≥ 16 → low data rate optimisation on.
    // 8 + ceil((960 − 48 + 28 + 16) / (4 · 10)) · 5 = 128 sym.
    expect(loraAirtimeMs(120, { sf: 12, bwHz: 125_000 })).toBeCloseTo((12.25 + 128) * 32.768, 6)
    expect(loraAirtimeMs(10, { explicitHeader: false, crc: false, cr: 8 })).toBeCloseTo(
      (12.25 + 8 + Math.ceil((80 - 28 + 28 - 20) / 28) * 8) * 0.512,
      9,
    )
    expect(() => loraAirtimeMs(120, { sf: 13 })).toThrow(TypeError)
  })
})

describe('pacedFace', () => {
  it('keeps the defaults of the original', () => {
    expect(KISS_PACING).toEqual({ minGapMs: 500, jitterMs: 50 })
    expect(LORA_PACING).toEqual({ minGapMs: 1000, jitterMs: 50 })
    expect(defaultPriority(frame(120, 0))).toBeGreaterThan(defaultPriority(frame(43, 0)))
  })

  it('sends the first frame at once, then with gaps in [minGap, minGap + jitter]', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer(),
        fc.integer({ min: 1, max: 12 }),
        async (minGapMs, jitterMs, seed, n) => {
          const clock = fakeClock(1000)
          const inner = recordingFace(clock)
          const face = pacedFace(inner, { minGapMs, jitterMs, clock, random: seededRandom(seed) })
          for (let i = 0; i < n; i++) await face.send(frame(20, i))
          await clock.advance(0)
          expect(inner.sent[0]?.t).toBe(1000)
          await clock.advance(n * (minGapMs + jitterMs) + 1)
          expect(inner.sent.map((s) => s.frame[0])).toEqual([...Array(n).keys()])
          for (let i = 1; i < n; i++) {
            const gap = (inner.sent[i]?.t ?? 0) - (inner.sent[i - 1]?.t ?? 0)
            expect(gap).toBeGreaterThanOrEqual(minGapMs)
            expect(gap).toBeLessThanOrEqual(minGapMs + jitterMs)
          }
          expect(face.stats.sent).toBe(n)
          expect(face.stats.queued).toBe(n)
          expect(face.queueLength).toBe(0)
        },
      ),
      { numRuns: 25 },
    )
  })

  it('waits the gap after a send that happened long ago only if needed', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const face = pacedFace(inner, { minGapMs: 500, clock })
    await face.send(frame(10, 1))
    await clock.advance(10_000)
    await face.send(frame(10, 2))
    await clock.advance(0)
    expect(inner.sent.map((s) => s.t)).toEqual([0, 10_000])
  })

  it('keeps the airtime within budget · window (1 % of an hour, LoRa SF7 120-byte frames)', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const windowMs = 3_600_000
    const estimateMs = (n: number): number => loraAirtimeMs(n)
    const face = pacedFace(inner, {
      ...LORA_PACING,
      clock,
      random: seededRandom(7),
      queueMax: 1000,
      airtime: { budget: 0.01, windowMs, estimateMs },
    })
    // 0.01 · 3 600 000 ms = 36 000 ms of airtime per hour; one frame ≈ 99.97 ms.
    const perWindow = Math.floor((0.01 * windowMs) / estimateMs(120))
    expect(perWindow).toBe(360)
    const total = 2 * perWindow + 50
    for (let i = 0; i < total; i++) await face.send(frame(120, 0).fill(i & 0xff, 0, 1).fill(i >> 8, 1, 2)) // distinct frames
    await clock.advance(3 * windowMs)
    expect(inner.sent).toHaveLength(total)
    const ts = inner.sent.map((s) => s.t)
    // Any window of windowMs holds at most perWindow sends…
    for (let i = 0; i < ts.length; i++) {
      // A send at t holds its airtime during [t, t + windowMs) (written as the face computes it).
      const inWindow = ts.filter((t) => t + windowMs > (ts[i] as number) && t <= (ts[i] as number)).length
      expect(inWindow).toBeLessThanOrEqual(perWindow)
    }
    // …and the budget is used: the first perWindow go out at the pace, the next waits for the window.
    expect(ts[perWindow - 1]).toBeLessThan(perWindow * 1051)
    expect(ts[perWindow]).toBe((ts[0] as number) + windowMs)
    expect(face.stats.airtimeMs).toBeCloseTo(total * estimateMs(120), 6)
  })

  it('drops a frame that alone exceeds the budget instead of blocking the queue', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const face = pacedFace(inner, {
      minGapMs: 0,
      clock,
      airtime: { budget: 0.001, windowMs: 60_000, estimateMs: (n) => n }, // cap 60 ms
    })
    await face.send(frame(61, 1))
    await face.send(frame(60, 2))
    await clock.advance(0)
    expect(inner.sent.map((s) => s.frame.length)).toEqual([60])
    expect(face.stats.dropped.AIRTIME).toBe(1)
  })

  it('bounds the queue: duplicates first, then the lowest priority, oldest first', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const face = pacedFace(inner, { minGapMs: 1000, clock, queueMax: 3 })
    const A = frame(120, 0xa), B = frame(36, 0xb), C = frame(120, 0xc), D = frame(36, 0xd)
    const E = frame(120, 0xe), F = frame(36, 0xf), G = frame(36, 0x7)
    await face.send(A) // goes out at once
    await clock.advance(0)
    for (const f of [B, C, D]) await face.send(f)
    expect(face.queueLength).toBe(3)
    await face.send(frame(36, 0xb)) // same bytes as B: dropped, nothing evicted
    expect(face.stats.dropped.DUPLICATE).toBe(1)
    await face.send(E) // full: evicts B (WANT-like, the oldest of the lowest)
    await face.send(F) // full: evicts D (lowest, older than F)
    await face.send(G) // full: evicts F
    expect(face.stats.dropped.QUEUE_FULL).toBe(3)
    await face.send(A) // A was sent already, so it is not a duplicate: evicts G
    expect(face.stats.dropped.QUEUE_FULL).toBe(4)
    await clock.advance(10_000)
    expect(inner.sent.map((s) => s.frame[0])).toEqual([0xa, 0xc, 0xe, 0xa])
    expect(face.stats).toMatchObject({ sent: 4, queued: 8, dropped: { DUPLICATE: 1, QUEUE_FULL: 4 } })
  })

  it('refuses a new frame that ranks below everything queued', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const face = pacedFace(inner, { minGapMs: 1000, clock, queueMax: 2, priority: (f) => f[0] ?? 0 })
    for (const p of [9, 5, 6]) await face.send(Uint8Array.of(p))
    await face.send(Uint8Array.of(1))
    expect(face.stats.dropped.QUEUE_FULL).toBe(1)
    await clock.advance(5000)
    expect(inner.sent.map((s) => s.frame[0])).toEqual([9, 5, 6])
  })

  it('counts failed inner sends and carries on', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const errors: unknown[] = []
    const face = pacedFace(inner, { minGapMs: 10, clock, onError: (e) => errors.push(e) })
    inner.failNext = 1
    await face.send(frame(5, 1))
    await face.send(frame(5, 2))
    await clock.advance(100)
    expect(inner.sent.map((s) => s.frame[0])).toEqual([2])
    expect(face.stats).toMatchObject({ sent: 1, dropped: { SEND_FAILED: 1 } })
    expect(errors).toHaveLength(1)
  })

  it('checks the mtu; close drops the queue, is idempotent, and later sends reject', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock, 100)
    const face = pacedFace(inner, { minGapMs: 1000, clock })
    expect(face.name).toBe('rec')
    expect(face.mtu).toBe(100)
    await expect(face.send(frame(101, 0))).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_MTU' })
    await expect(face.send(new Uint8Array(0))).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_EMPTY' })
    for (let i = 0; i < 3; i++) await face.send(frame(10, i))
    await Promise.all([face.close(), face.close()])
    expect(inner.closes).toBe(1)
    expect(face.stats.dropped.CLOSED).toBe(2)
    expect(clock.pending).toBe(0)
    await expect(face.send(frame(10, 9))).rejects.toBeInstanceOf(FaceError)
  })

  it('rejects bad options', () => {
    const inner = recordingFace(fakeClock())
    expect(() => pacedFace(inner, { minGapMs: -1 })).toThrow(TypeError)
    expect(() => pacedFace(inner, { minGapMs: 0, queueMax: 0 })).toThrow(TypeError)
    expect(() => pacedFace(inner, { minGapMs: 0, airtime: { budget: 2, estimateMs: () => 1 } })).toThrow(TypeError)
  })
})
