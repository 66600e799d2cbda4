// Helpers of the Face compliance suite: collecting what a face receives, recognisable frames.
import { toHex } from '@tinyssb/packet'
import type { Face, PeerId } from '@tinyssb/core'

/** One received frame. */
export interface Received {
  readonly frame: Uint8Array
  readonly from: PeerId
}

/** Everything one handler of a face received, and a way to wait for more. */
export interface Collector {
  readonly frames: Received[]
  readonly hex: () => string[]
  readonly off: () => void
  /** Resolves once `count` frames arrived; rejects after the timeout, naming the face. */
  waitFor(count: number): Promise<void>
  /** Resolves once `frame` (these bytes) arrived; rejects after the timeout, naming the face. */
  waitForFrame(frame: Uint8Array): Promise<void>
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Subscribes to `face` and collects what arrives. */
export function collect(face: Face, timeoutMs: number): Collector {
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
    waitFor(count) {
      return until(() => frames.length >= count, `${count} frame(s)`)
    },
    waitForFrame(frame) {
      const want = toHex(frame)
      return until(() => frames.some((r) => toHex(r.frame) === want), `the frame ${want.slice(0, 16)}…`)
    },
  }

  async function until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!done()) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`${face.name}: expected ${what} within ${timeoutMs} ms, got ${frames.length} frame(s)`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = undefined
    }
  }
}

/** A recognisable frame: `tag` in the first byte, then a pattern. */
export function frameOf(size: number, tag: number): Uint8Array {
  const frame = new Uint8Array(size)
  for (let i = 0; i < size; i++) frame[i] = (tag + i * 31) & 0xff
  frame[0] = tag & 0xff
  return frame
}
