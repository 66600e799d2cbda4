// Small fakes for these tests (the testkit's fakeClock may replace them later).
import type { Clock, Face } from '@tinyssb/packet'
import { setImmediate as tick } from 'node:timers/promises'

/** A manual clock: time moves only through advance()/runUntilIdle(). */
export interface FakeClock extends Clock {
  /** Runs the timers due up to now + ms, in time order, letting promises settle between them. */
  advance(ms: number): Promise<void>
  /** Pending timers. */
  readonly pending: number
}

export function fakeClock(start = 0): FakeClock {
  let now = start
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void; seq: number }>()
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq
      timers.set(id, { at: now + Math.max(0, ms), fn, seq: id })
      return id
    },
    clearTimeout(h) {
      timers.delete(h as number)
    },
    get pending() {
      return timers.size
    },
    async advance(ms) {
      const end = now + ms
      for (;;) {
        await tick() // let promise chains (send → finally → pump) settle
        let next: { at: number; fn: () => void; seq: number } | undefined
        let nextId = 0
        for (const [id, t] of timers) {
          if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) {
            next = t
            nextId = id
          }
        }
        if (!next) break
        timers.delete(nextId)
        now = next.at
        next.fn()
      }
      now = end
    },
  }
}

/** A face that records what it is asked to send, with the clock's time. */
export interface RecordingFace extends Face {
  readonly sent: { t: number; frame: Uint8Array }[]
  closes: number
  /** Make the next sends reject. */
  failNext: number
}

export function recordingFace(clock: Clock, mtu = 256): RecordingFace {
  const face: RecordingFace = {
    name: 'rec',
    mtu,
    sent: [],
    closes: 0,
    failNext: 0,
    async send(frame) {
      if (face.failNext > 0) {
        face.failNext--
        throw new Error('boom')
      }
      face.sent.push({ t: clock.now(), frame })
    },
    onFrame: () => () => {},
    async close() {
      face.closes++
    },
  }
  return face
}

/** A deterministic PRNG in [0, 1): the testkit's mulberry32. */
export { mulberry32 as seededRandom } from '@tinyssb/testkit'
