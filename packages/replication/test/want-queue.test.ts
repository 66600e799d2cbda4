// The WANT queue alone: packing records into frames, copies in separate frames, the budget, the bound.
import { decodeWant, isBundleWantRecord } from '@tinyssb/packet'
import { fakeClock } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { createContext } from '../src/context.js'
import { resolveFaces } from '../src/faces.js'
import { withoutPadding } from '../src/padding.js'
import { WantQueue } from '../src/want-queue.js'
import { signerFor, stores } from './helpers.js'

function setup(opts: { wantRate?: number; wantBurst?: number; max?: number } = {}) {
  const clock = fakeClock()
  const sent: Array<{ at: number; frame: Uint8Array }> = []
  const face = { name: 'f', mtu: 1400, addressable: false, send: async (frame: Uint8Array) => void sent.push({ at: clock.now(), frame }), onFrame: () => () => undefined, close: async () => undefined }
  const ctx = createContext({ ...stores(), clock })
  const faces = resolveFaces({ ...stores(), faces: [{ face, ...opts }] })
  const q = new WantQueue(ctx, faces, opts.max)
  q.running = true
  return { clock, sent, q, seqs: () => sent.map((s) => records(s.frame).map((r) => r.seq)) }
}

const [A, B] = [signerFor(1).publicKey, signerFor(2).publicKey]
/** The records a WANT frame asks for (its padding trimmed). */
const records = (frame: Uint8Array) => withoutPadding(decodeWant(frame).records)

describe('WantQueue', () => {
  it('packs records of several feeds into frames of the face size, in order', () => {
    const { clock, q, seqs, sent } = setup()
    q.add(0, A, 1, 4)
    q.add(0, B, 10, 13)
    clock.advance(0)
    expect(seqs()).toEqual([
      [1, 2, 3, 4, 10, 11],
      [12, 13],
    ])
    expect(records(sent[0]!.frame).map((r) => r.fid)).toEqual([A, A, A, A, B, B])
  })

  it('a copy of a record already in the frame goes into the next frame', () => {
    const { clock, q, seqs } = setup()
    q.add(0, A, 5, 5)
    q.add(0, A, 5, 5)
    q.add(0, A, 6, 7)
    clock.advance(0)
    expect(seqs()).toEqual([[5], [5, 6, 7]])
  })

  it('sends the burst at once and the rest at the rate; refuses records beyond its bound', () => {
    const { clock, q, sent } = setup({ wantRate: 60, wantBurst: 12, max: 100 })
    expect(q.add(0, A, 1, 60)).toBe(true)
    expect(q.add(0, B, 1, 50)).toBe(false) // 110 > 100 waiting
    clock.advance(0)
    expect(sent.length).toBe(2) // the burst: 12 records
    clock.advance(500)
    expect(sent.reduce((n, s) => n + records(s.frame).length, 0)).toBeLessThanOrEqual(12 + 30 + 6)
    clock.advance(1000)
    expect(sent.reduce((n, s) => n + records(s.frame).length, 0)).toBe(60)
    expect(q.pending()).toBe(0)
  })

  it('clear() forgets what waits; nothing is sent while not running', () => {
    const { clock, q, sent } = setup({ wantRate: 6, wantBurst: 6 })
    q.add(0, A, 1, 30)
    clock.advance(0)
    q.clear()
    clock.advance(10_000)
    expect(sent.length).toBe(1)
    q.running = false
    q.add(0, A, 1, 6)
    clock.advance(10_000)
    expect(sent.length).toBe(1)
  })
})

describe('WantQueue: bundle marker', () => {
  function addressable() {
    const clock = fakeClock()
    const sent: Uint8Array[] = []
    const face = { name: 'u', mtu: 1400, addressable: true, send: async (frame: Uint8Array) => void sent.push(frame), onFrame: () => () => undefined, close: async () => undefined }
    const ctx = createContext({ ...stores(), clock })
    const q = new WantQueue(ctx, resolveFaces({ ...stores(), faces: [face] }))
    q.running = true
    return { clock, sent, q }
  }
  const marked = (frame: Uint8Array) => decodeWant(frame).records.some(isBundleWantRecord)

  it('a frame of first asks asks for bundles; a frame with a seq asked again (a repair) does not', () => {
    const { clock, sent, q } = addressable()
    q.add(0, A, 1, 6)
    clock.advance(0)
    q.add(0, A, 1, 6, true) // asked again: answers one per datagram
    clock.advance(0)
    q.add(0, A, 7, 9)
    q.add(0, A, 3, 5, true) // one repair among first asks: the whole frame goes unmarked
    clock.advance(0)
    expect(sent.map(marked)).toEqual([true, false, false])
    expect(sent.map((f) => records(f).map((r) => r.seq))).toEqual([
      [1, 2, 3, 4, 5, 6],
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 3, 4, 5],
    ])
  })
})
