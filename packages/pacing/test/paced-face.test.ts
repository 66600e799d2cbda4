import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FaceError, fakeClock, mulberry32 as seededRandom } from '@tinyssb/core'
import { loraAirtimeMs } from '../src/lora-airtime.js'
import { KISS_PACING, LORA_PACING, defaultPriority, pacedFace } from '../src/paced-face.js'
import { advance, recordingFace } from './fakes.js'

const frame = (len: number, fill: number): Uint8Array => new Uint8Array(len).fill(fill)

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
          await advance(clock, 0)
          expect(inner.sent[0]?.t).toBe(1000)
          await advance(clock, n * (minGapMs + jitterMs) + 1)
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
    await advance(clock, 10_000)
    await face.send(frame(10, 2))
    await advance(clock, 0)
    expect(inner.sent.map((s) => s.t)).toEqual([0, 10_000])
  })

  it('measures the gap from the start of a send, and never starts one before the last settled', async () => {
    for (const [gap, want] of [
      [1000, [0, 1000, 2000]], // the send (700 ms) ends within the gap
      [500, [0, 700, 1400]], // the send outlasts the gap: the next one waits for it
    ] as const) {
      const clock = fakeClock()
      const starts: number[] = []
      const slow = {
        ...recordingFace(clock),
        send: (): Promise<void> => {
          starts.push(clock.now())
          return new Promise<void>((resolve) => clock.setTimeout(resolve, 700))
        },
      }
      const face = pacedFace(slow, { minGapMs: gap, clock })
      for (let i = 0; i < 3; i++) await face.send(frame(10, i))
      await advance(clock, 5000)
      expect(starts).toEqual(want)
    }
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
    await advance(clock, 3 * windowMs)
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
    await advance(clock, 0)
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
    await advance(clock, 0)
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
    await advance(clock, 10_000)
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
    await advance(clock, 5000)
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
    await advance(clock, 100)
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
    expect(clock.pending()).toBe(0)
    await expect(face.send(frame(10, 9))).rejects.toBeInstanceOf(FaceError)
  })

  it('passes `to` through, keeps the inner face\'s addressable, and de-duplicates per peer when addressable', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock, 256, true)
    const face = pacedFace(inner, { minGapMs: 100, clock })
    expect(face.addressable).toBe(true)
    expect(pacedFace(recordingFace(clock), { minGapMs: 0 }).addressable).toBe(false)
    // and the inner face's grouping of peers, when it has one
    expect(face.peerGroup).toBeUndefined()
    const grouped = pacedFace({ ...inner, peerGroup: (p: string) => p.split(':')[0]! }, { minGapMs: 0, clock })
    expect(grouped.peerGroup?.('peer:a')).toBe('peer')
    const F = frame(30, 1)
    await face.send(F, 'peer:a')
    await face.send(F, 'peer:b') // the same bytes for another peer: a second send
    await face.send(F, 'peer:b') // the same bytes for the same peer: a duplicate
    await face.send(F) // no peer (the face's default destination): a third send
    await advance(clock, 1000)
    expect(inner.sent.map((s) => s.to)).toEqual(['peer:a', 'peer:b', undefined])
    expect(face.stats.dropped.DUPLICATE).toBe(1)
  })

  it('on a broadcast face, the same bytes for two peers go out once (one send reaches both)', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const face = pacedFace(inner, { minGapMs: 100, clock })
    await face.send(frame(30, 1), 'peer:a') // goes out at once
    await face.send(frame(30, 2), 'peer:a')
    await face.send(frame(30, 2), 'peer:b')
    await advance(clock, 1000)
    expect(inner.sent.map((s) => [s.frame[0], s.to])).toEqual([[1, 'peer:a'], [2, 'peer:a']])
    expect(face.stats.dropped.DUPLICATE).toBe(1)
  })

  it('counts a peer the inner face refuses as FACE_PEER, and goes on', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock, 256, true)
    const errors: unknown[] = []
    const face = pacedFace(inner, { minGapMs: 10, clock, onError: (e) => errors.push(e) })
    inner.failNext = 1
    inner.failWith = new FaceError('FACE_PEER', 'gone')
    await face.send(frame(5, 1), 'peer:gone')
    await face.send(frame(5, 2), 'peer:here')
    await advance(clock, 100)
    expect(inner.sent.map((s) => s.to)).toEqual(['peer:here'])
    expect(face.stats.dropped).toMatchObject({ FACE_PEER: 1, SEND_FAILED: 0 })
    expect(errors).toMatchObject([{ code: 'FACE_PEER' }])
  })

  it('survives an onError that throws', async () => {
    const clock = fakeClock()
    const inner = recordingFace(clock)
    const face = pacedFace(inner, {
      minGapMs: 10,
      clock,
      onError: () => {
        throw new Error('observer failure (expected by the test)')
      },
    })
    inner.failNext = 1
    await face.send(frame(5, 1))
    await face.send(frame(5, 2))
    await advance(clock, 100)
    expect(inner.sent.map((s) => s.frame[0])).toEqual([2])
  })

  it('runs on the clock and randomness handed in: two runs with one seed send at the same instants', async () => {
    const run = async (): Promise<number[]> => {
      const clock = fakeClock(5)
      const inner = recordingFace(clock)
      const face = pacedFace(inner, { ...LORA_PACING, clock, random: seededRandom(99) })
      for (let i = 0; i < 20; i++) await face.send(frame(40, i))
      await advance(clock, 60_000)
      return inner.sent.map((s) => s.t)
    }
    const first = await run()
    expect(first).toHaveLength(20)
    expect(await run()).toEqual(first)
  })

  it('rejects bad options', () => {
    const inner = recordingFace(fakeClock())
    expect(() => pacedFace(inner, { minGapMs: -1 })).toThrow(TypeError)
    expect(() => pacedFace(inner, { minGapMs: 0, queueMax: 0 })).toThrow(TypeError)
    expect(() => pacedFace(inner, { minGapMs: 0, airtime: { budget: 2, estimateMs: () => 1 } })).toThrow(TypeError)
  })
})
