// Per-face settings: given by the host, or guessed from the MTU (the documented default).
import type { Face } from '@tinyssb/core'
import { memoryLogStore } from '@tinyssb/repo'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { resolveFaces } from '../src/faces.js'
import { createNode, guessFaceKind, SERVE_RATE, WANT_WINDOW } from '../src/index.js'
import { runUntil, scheme, signerFor, stores } from './helpers.js'

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
    expect(q).toMatchObject({ kind: 'udp', records: 38, window: 500, serveRate: 7 })
  })

  it('wantBytes never exceeds the face MTU', () => {
    const [p] = resolveFaces({ logs, wantBytes: 5000, faces: [fake('small', 120)] })
    expect(p!.records).toBe(3)
  })

  it('a node asks like a LoRa face on a face declared lora, whatever its MTU', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ seed: 21, clock, mtu: 1400 })
    const b = stores()
    const fid = signerFor(20).publicKey
    await b.logs.create(fid)
    const sizes: number[] = []
    hub.face('listen').onFrame((f) => sizes.push(f.length))
    const node = createNode({ ...b, faces: [{ face: hub.face('B'), kind: 'lora' }], clock, retryMinMs: 1000 })
    await node.start()
    await runUntil(clock, () => false, 100, 10)
    expect(sizes).toEqual([7 + 3 * 36]) // one 120-byte frame for the first round, not 22 of 223 bytes
    await node.stop()
  })
})
