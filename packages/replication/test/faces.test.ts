// Per-face settings: given by the host, or guessed from the MTU (the documented default).
import type { Face } from '@tinyssb/core'
import { memoryLogStore } from '@tinyssb/repo'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { resolveFaces } from '../src/faces.js'
import { createNode, guessFaceKind, MAX_WINDOW, PARKING_SLOTS, SERVE_RATE, WANT_WINDOW } from '../src/index.js'
import { produce, runUntil, scheme, signerFor, stores } from './helpers.js'

const fake = (name: string, mtu: number): Face => ({ name, mtu, send: async () => {}, onFrame: () => () => {}, close: async () => {} })
const logs = memoryLogStore({ verifier: scheme })

describe('face settings', () => {
  it('default: the kind is guessed from the MTU (≤ 256: lora)', () => {
    expect(guessFaceKind(fake('kiss', 256))).toBe('lora')
    expect(guessFaceKind(fake('udp', 1400))).toBe('udp')
    const [udp, lora] = resolveFaces({ logs, faces: [fake('udp', 1400), fake('kiss', 256)] })
    expect(udp).toMatchObject({ kind: 'udp', records: 6, window: WANT_WINDOW, serveRate: SERVE_RATE })
    expect(lora).toMatchObject({ kind: 'lora', records: 3, window: 3 })
  })

  it('a face given with options keeps its own kind, WANT size, window and serve rate', () => {
    const big = fake('big', 1400)
    const [p, q] = resolveFaces({
      logs,
      window: 32,
      faces: [{ face: big, kind: 'lora' }, { face: fake('u', 1400), wantBytes: 1400, window: 500, serveRate: 7 }],
    })
    expect(p).toMatchObject({ face: big, kind: 'lora', records: 3, window: 3 })
    // 38 records fit 1400 bytes; padded to pay for their answers at 3 × (40 bytes each, 21 for a hint) 34 do
    expect(q).toMatchObject({ kind: 'udp', records: 34, window: MAX_WINDOW, serveRate: 7, amplification: 3, padFor: 3 }) // 500: capped
    expect(p).toMatchObject({ amplification: 3, padFor: Number.POSITIVE_INFINITY }) // 'lora': not padded, the same bound
  })

  it('the window is at most MAX_WINDOW, with room to spare in the parking lot: answers beyond it would be evicted and asked again', () => {
    expect(MAX_WINDOW).toBeLessThanOrEqual((PARKING_SLOTS * 3) / 4)
    const [p, q] = resolveFaces({ logs, window: 4 * MAX_WINDOW, faces: [fake('udp', 1400), { face: fake('u', 1400), window: MAX_WINDOW - 1 }] })
    expect(p!.window).toBe(MAX_WINDOW)
    expect(q!.window).toBe(MAX_WINDOW - 1)
  })

  it('wantBytes never exceeds the face MTU', () => {
    const [p] = resolveFaces({ logs, wantBytes: 5000, faces: [fake('small', 120)] })
    expect(p!.records).toBe(3)
  })

  it('a node asks like a LoRa face on a face declared lora, whatever its MTU', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 21, clock, mtu: 1400 })
    const b = stores()
    const signer = signerFor(20)
    const fid = signer.publicKey
    await b.logs.create(fid)
    const a = stores()
    await produce(a.logs, signer, 30)
    const producer = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid] })
    await producer.start()
    const wants: Array<{ at: number; bytes: number }> = []
    hub.face('listen').onFrame((f, from) => from === 'B' && wants.push({ at: clock.now(), bytes: f.length }))
    const node = createNode({ ...b, faces: [{ face: hub.face('B'), kind: 'lora' }], clock, retryMinMs: 1000 })
    await node.start()
    expect(await runUntil(clock, () => node.front(fid) === 30, 60_000, 10)).toBe(true)
    // a probe first (2 records), then rounds of one 120-byte frame (3 records), never 223-byte WANTs
    expect(wants[0]!.bytes).toBe(7 + 2 * 36)
    expect(Math.max(...wants.map((w) => w.bytes))).toBe(7 + 3 * 36)
    await node.stop()
    await producer.stop()
  })
})
