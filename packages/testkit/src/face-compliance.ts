// The shared Face compliance suite. This module imports vitest, so it has its own subpath
// ('@tinyssb/testkit/compliance') and the main index never loads it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toHex, type Face } from '@tinyssb/packet'

/** Two faces on one medium, each of which can hear the other. */
export interface FacePair {
  readonly a: Face
  readonly b: Face
  /** Runs after both faces are closed (e.g. removes a temp dir, closes a hub). */
  readonly cleanup?: () => Promise<void>
}

/** What the suite may expect of a face. */
export interface FaceComplianceOptions {
  /** Run the burst test (every one of many frames arrives). Default true; false for lossy media. */
  readonly lossless?: boolean
  /** Frames in the burst test. Default 100. */
  readonly burst?: number
  /**
   * What send() does after close(): 'reject' (with `closedErrorCode`), 'ignore' (resolves, sends
   * nothing) or 'either'. Default 'reject', the choice of the testkit and @tinyssb/face-udp.
   */
  readonly closedSend?: 'reject' | 'ignore' | 'either'
  /** The `code` of the error a closed face rejects send() with. Default 'FACE_CLOSED'. */
  readonly closedErrorCode?: string
  /** The `code` of the error send() rejects an over-mtu frame with; undefined checks no code. Default 'FACE_MTU'. */
  readonly mtuErrorCode?: string | undefined
  /** How long to wait for a frame before failing. Default 2000 ms. */
  readonly timeoutMs?: number
  /** How long to watch that nothing (more) arrives. Default 50 ms. */
  readonly quietMs?: number
}

interface Received {
  readonly frame: Uint8Array
  readonly from: string
}

interface Collector {
  readonly frames: Received[]
  readonly hex: () => string[]
  readonly off: () => void
  waitFor(count: number): Promise<void>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function collect(face: Face, timeoutMs: number): Collector {
  const frames: Received[] = []
  let wake: (() => void) | undefined
  const off = face.onFrame((frame, from) => {
    frames.push({ frame, from })
    wake?.()
  })
  return {
    frames,
    off,
    hex: () => frames.map((r) => toHex(r.frame)),
    async waitFor(count) {
      const deadline = Date.now() + timeoutMs
      while (frames.length < count) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`${face.name}: expected ${count} frame(s) within ${timeoutMs} ms, got ${frames.length}`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = undefined
      }
    },
  }
}

/** A recognisable frame: `tag` in the first byte, then a pattern. */
function frameOf(size: number, tag: number): Uint8Array {
  const frame = new Uint8Array(size)
  for (let i = 0; i < size; i++) frame[i] = (tag + i * 31) & 0xff
  frame[0] = tag & 0xff
  return frame
}

/**
 * Registers the vitest tests every {@link Face} implementation must pass: byte-exact delivery of
 * several sizes (1, 2, 60, 120 bytes and the mtu) both ways, bursts, no echo of a face's own
 * frames, unsubscribe, throwing handlers, over-mtu frames refused, close() idempotent.
 * Call it at the top level of a test file or inside a `describe`.
 * @param name names the implementation in the test titles.
 * @param makePair opens two fresh faces on one medium, once per test; both are closed after it.
 * @param options what the medium guarantees.
 * @example
 * testFace('memory hub', async () => {
 *   const { a, b, hub } = memoryLink()
 *   return { a, b, cleanup: () => hub.close() }
 * })
 */
export function testFace(name: string, makePair: () => Promise<FacePair>, options: FaceComplianceOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 2000
  const quietMs = options.quietMs ?? 50
  const closedSend = options.closedSend ?? 'reject'
  const closedErrorCode = options.closedErrorCode ?? 'FACE_CLOSED'
  const mtuErrorCode = 'mtuErrorCode' in options ? options.mtuErrorCode : 'FACE_MTU'

  describe(`Face compliance: ${name}`, () => {
    let pair: FacePair | undefined
    let a: Face
    let b: Face

    beforeEach(async () => {
      pair = undefined
      pair = await makePair()
      ;({ a, b } = pair)
    })
    afterEach(async () => {
      // makePair may have failed (e.g. a missing tool): its error is the one to report, not a
      // second TypeError from closing faces that never opened
      if (!pair) return
      const opened = pair
      pair = undefined
      await Promise.allSettled([opened.a, opened.b].map(async (f) => f.close()))
      await opened.cleanup?.()
    })

    it('exposes a name and an mtu that fits a 120-byte packet', () => {
      for (const face of [a, b]) {
        expect(typeof face.name).toBe('string')
        expect(face.name.length).toBeGreaterThan(0)
        expect(Number.isInteger(face.mtu)).toBe(true)
        expect(face.mtu).toBeGreaterThanOrEqual(120)
      }
    })

    it('delivers frames of 1, 2, 60, 120 bytes and the mtu from a to b, byte-exact', async () => {
      const mtu = Math.min(a.mtu, b.mtu)
      const sizes = [...new Set([1, 2, 60, 120, mtu])]
      const atB = collect(b, timeoutMs)
      const sent = sizes.map((size, i) => frameOf(size, i + 1))
      for (const frame of sent) await a.send(frame)
      await atB.waitFor(sent.length)
      expect(atB.hex().sort()).toEqual(sent.map((f) => toHex(f)).sort())
      for (const r of atB.frames) expect(r.frame).toBeInstanceOf(Uint8Array)
      for (const r of atB.frames) expect(typeof r.from).toBe('string')
    })

    it('delivers from b to a as well', async () => {
      const atA = collect(a, timeoutMs)
      const frame = frameOf(120, 0x42)
      await b.send(frame)
      await atA.waitFor(1)
      expect(atA.hex()).toEqual([toHex(frame)])
    })

    it('does not change a frame when the sender reuses its buffer after send()', async () => {
      const atB = collect(b, timeoutMs)
      const frame = frameOf(120, 7)
      const expected = toHex(frame)
      await a.send(frame)
      frame.fill(0)
      await atB.waitFor(1)
      expect(atB.hex()).toEqual([expected])
    })

    it.skipIf(options.lossless === false)('delivers every frame of a burst', async () => {
      const count = options.burst ?? 100
      const atB = collect(b, timeoutMs)
      const sent: string[] = []
      for (let i = 0; i < count; i++) {
        const frame = frameOf(120, i)
        frame[1] = i >> 8
        sent.push(toHex(frame))
        await a.send(frame)
      }
      await atB.waitFor(count)
      expect(atB.hex().sort()).toEqual(sent.sort())
    })

    it("does not hand a face its own frames", async () => {
      const atA = collect(a, timeoutMs)
      const atB = collect(b, timeoutMs)
      const fromA = frameOf(120, 1)
      const fromB = frameOf(120, 2)
      await a.send(fromA)
      await atB.waitFor(1)
      await b.send(fromB)
      await atA.waitFor(1)
      await sleep(quietMs)
      expect(atA.hex()).toEqual([toHex(fromB)])
      expect(atB.hex()).toEqual([toHex(fromA)])
    })

    it('stops calling a handler once unsubscribed, and keeps calling the others', async () => {
      const gone = collect(b, timeoutMs)
      const kept = collect(b, timeoutMs)
      gone.off()
      gone.off() // twice is harmless
      await a.send(frameOf(60, 3))
      await kept.waitFor(1)
      await sleep(quietMs)
      expect(gone.frames).toHaveLength(0)
      expect(kept.frames).toHaveLength(1)
    })

    it('survives a handler that throws', async () => {
      b.onFrame(() => {
        throw new Error('handler failure (expected by the test)')
      })
      const atB = collect(b, timeoutMs)
      await a.send(frameOf(10, 1))
      await atB.waitFor(1)
      await a.send(frameOf(10, 2))
      await atB.waitFor(2)
      expect(atB.frames).toHaveLength(2)
    })

    it('refuses a frame over the mtu, and still works after', async () => {
      const atB = collect(b, timeoutMs)
      const refused = a.send(new Uint8Array(a.mtu + 1))
      await expect(refused).rejects.toThrow(Error)
      if (mtuErrorCode !== undefined) await expect(refused).rejects.toMatchObject({ code: mtuErrorCode })
      const frame = frameOf(120, 9)
      await a.send(frame)
      await atB.waitFor(1)
      expect(atB.hex()).toEqual([toHex(frame)])
    })

    it(`closes idempotently; send() after close ${closedSend === 'either' ? 'rejects or is ignored' : closedSend === 'reject' ? 'rejects' : 'is ignored'}`, async () => {
      const atB = collect(b, timeoutMs)
      await a.close()
      await a.close()
      const outcome = await a.send(frameOf(120, 5)).then(
        () => 'ignored' as const,
        (error: unknown) => error,
      )
      if (closedSend === 'ignore') expect(outcome).toBe('ignored')
      if (closedSend === 'reject') expect(outcome).toMatchObject({ code: closedErrorCode })
      if (outcome !== 'ignored') expect(outcome).toBeInstanceOf(Error)
      await sleep(quietMs)
      expect(atB.frames).toHaveLength(0)
      await b.close()
      await b.close()
    })
  })
}
