// The shared Face compliance suite. This module imports vitest, so it has its own subpath
// ('@tinyssb/testkit/compliance') and the main index never loads it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toHex } from '@tinyssb/packet'
import type { Face } from '@tinyssb/core'
import { collect, frameOf, sleep } from './face-collect.js'
import { peerTests, type PeerTestContext } from './face-peers.js'

/** Two faces on one medium, each of which can hear the other. */
export interface FacePair {
  readonly a: Face
  readonly b: Face
  /**
   * Optional: a third face on the same medium that can send to `a` (and that `a` can reach). With
   * it the suite also checks that `a` names two senders apart and, when `a` is addressable, that
   * `send(frame, to)` reaches `to` alone. Closed after each test like `a` and `b`.
   */
  readonly c?: Face
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
  /**
   * The `code` of the error an addressable face rejects `send(frame, to)` with for a peer it does
   * not know. Default 'FACE_PEER'; undefined skips the check (e.g. a paced face, which queues first
   * and counts the refusal later).
   */
  readonly peerErrorCode?: string | undefined
}

/**
 * Registers the vitest tests every {@link Face} implementation must pass: byte-exact delivery of
 * several sizes (1, 2, 60, 120 bytes and the mtu) both ways, bursts, no echo of a face's own
 * frames, unsubscribe, throwing handlers, over-mtu frames refused, close() idempotent; one stable
 * PeerId per sender, `send(frame, to)` reaching `to` (and only `to` on an addressable face, given
 * a third face), FACE_PEER for an unknown peer on an addressable face.
 * Call it at the top level of a test file or inside a `describe`. When `makePair` fails (e.g. a
 * missing tool), the first test fails with its error and the others are skipped, naming it.
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
  const peerErrorCode = 'peerErrorCode' in options ? options.peerErrorCode : 'FACE_PEER'

  describe(`Face compliance: ${name}`, () => {
    let pair: FacePair | undefined
    let a: Face
    let b: Face
    let setupError: { error: unknown } | undefined

    beforeEach(async (ctx) => {
      pair = undefined
      // A set-up that failed once (a missing tool, a port in use) is reported once, by the first
      // test; the others are skipped with a note instead of repeating the same error.
      if (setupError) return ctx.skip(`the face pair could not be set up: ${String(setupError.error)}`)
      try {
        pair = await makePair()
      } catch (error) {
        setupError = { error }
        throw error
      }
      ;({ a, b } = pair)
    })
    afterEach(async () => {
      // makePair may have failed: its error is the one to report, not a second TypeError from
      // closing faces that never opened
      if (!pair) return
      const opened = pair
      pair = undefined
      await Promise.allSettled([opened.a, opened.b, opened.c].map(async (f) => f?.close()))
      await opened.cleanup?.()
    })

    it('exposes a name and an mtu that fits a 120-byte packet', () => {
      for (const face of [a, b]) {
        expect(typeof face.name).toBe('string')
        expect(face.name.length).toBeGreaterThan(0)
        expect(Number.isInteger(face.mtu)).toBe(true)
        expect(face.mtu).toBeGreaterThanOrEqual(120)
        expect(['boolean', 'undefined']).toContain(typeof face.addressable)
      }
    })

    const ctx: PeerTestContext = {
      faces: () => ({ a, b, c: pair?.c }),
      timeoutMs,
      quietMs,
      peerErrorCode,
    }
    peerTests(ctx)

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
