// A face that records what it is asked to send, and a stepper that lets promise chains settle
// between the timers of core's fakeClock (the paced face continues when the inner send settles).
import type { Clock, Face, FakeClock, PeerId } from '@tinyssb/core'
import { setImmediate as tick } from 'node:timers/promises'

/** Runs the timers due within `ms`, in time order, letting promise jobs settle before each. */
export async function advance(clock: FakeClock, ms: number): Promise<void> {
  const end = clock.now() + ms
  for (;;) {
    await tick()
    const next = clock.nextAt()
    if (next === undefined || next > end) break
    clock.advance(Math.max(0, next - clock.now()))
  }
  clock.advance(end - clock.now())
  await tick()
}

/** A face that records what it is asked to send, with the clock's time and the peer. */
export interface RecordingFace extends Face {
  readonly sent: { t: number; frame: Uint8Array; to: PeerId | undefined }[]
  closes: number
  /** Make the next sends reject with this error (or a plain Error). */
  failNext: number
  failWith: unknown
}

export function recordingFace(clock: Clock, mtu = 256, addressable = false): RecordingFace {
  const face: RecordingFace = {
    name: 'rec',
    mtu,
    addressable,
    sent: [],
    closes: 0,
    failNext: 0,
    failWith: undefined,
    async send(frame, to) {
      if (face.failNext > 0) {
        face.failNext--
        throw face.failWith ?? new Error('boom')
      }
      face.sent.push({ t: clock.now(), frame, to })
    },
    onFrame: () => () => {},
    async close() {
      face.closes++
    },
  }
  return face
}
