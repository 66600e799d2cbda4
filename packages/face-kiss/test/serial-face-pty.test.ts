// End to end over a real pseudo-terminal pair (socat): two kissFaces, both ways, byte-exact.
import { testFace } from '@tinyssb/testkit/compliance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kissFace, type KissFace } from '../src/serial-face.js'
import { ptyPair, type PtyPair } from './pty-pair.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const until = async (cond: () => boolean, what: string, ms = 3000): Promise<void> => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
// Pacing on, with small gaps to keep the test fast; a queue that takes the compliance burst.
const pacing = { minGapMs: 2, jitterMs: 2, queueMax: 256 }

describe('kissFace over a socat pty pair', () => {
  let pty: PtyPair
  let a: KissFace
  let b: KissFace
  // A setup failure (e.g. socat missing) fails every test here instead of skipping them.
  let setupError: unknown
  const ready = (): void => {
    if (setupError) throw setupError
  }
  beforeAll(async () => {
    try {
      pty = await ptyPair()
      a = await kissFace({ path: pty.a, pacing })
      b = await kissFace({ path: pty.b, pacing })
    } catch (err) {
      setupError = err
    }
  })
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()])
    await pty?.stop()
  })

  it('exchanges frames both ways, byte-exact, including every escape case', async () => {
    ready()
    const atA: string[] = []
    const atB: string[] = []
    a.onFrame((f) => atA.push(hex(f)))
    b.onFrame((f, from) => {
      expect(from).toBe(b.name)
      atB.push(hex(f))
    })
    const toB = [Uint8Array.of(0xc0), Uint8Array.of(0xdb, 0xdc, 0xdd), new Uint8Array(256).fill(0xc0), Uint8Array.from({ length: 120 }, (_, i) => i * 3)]
    const toA = [new Uint8Array(256).fill(0xdb), Uint8Array.from({ length: 256 }, (_, i) => i)]
    for (const f of toB) await a.send(f)
    for (const f of toA) await b.send(f)
    await until(() => atB.length === toB.length && atA.length === toA.length, 'all frames')
    expect(atB).toEqual(toB.map(hex))
    expect(atA).toEqual(toA.map(hex))
    expect(a.stats.pacing?.sent).toBe(toB.length)
    expect(b.stats.framesIn).toBe(toB.length)
    expect(b.stats.decoder.dropped).toMatchObject({ TOO_LONG: 0, BAD_ESCAPE: 0 })
  })

  it('closes cleanly with a counted error when the device disappears', async () => {
    ready()
    await pty.stop() // socat exits: both pty ends vanish, as when a USB bridge is unplugged
    // the binding notices on its next poll of the device; a loaded machine (CI with other builds) can
    // take seconds to get there, so wait up to 10 s (a face that never closes still fails)
    await until(() => a.closed && b.closed, 'both faces to close', 10_000)
    expect(a.stats.errors + b.stats.errors).toBeGreaterThanOrEqual(1)
    await expect(a.send(Uint8Array.of(1))).rejects.toMatchObject({ code: 'FACE_CLOSED' })
  }, 15_000)
})

it('kissFace gives FACE_OPEN, naming the path, for a missing device (real binding)', async () => {
  await expect(kissFace({ path: '/dev/tinyssb-no-such-tty' })).rejects.toMatchObject({
    name: 'FaceError',
    code: 'FACE_OPEN',
    message: expect.stringContaining('/dev/tinyssb-no-such-tty'),
  })
})

// The shared Face suite, one fresh socat pair per test (socat exits when a side closes).
const ptys = new Set<PtyPair>()
testFace('kiss over a socat pty pair', async () => {
  const pty = await ptyPair()
  ptys.add(pty)
  const a = await kissFace({ path: pty.a, pacing })
  const b = await kissFace({ path: pty.b, pacing })
  return {
    a,
    b,
    cleanup: async () => {
      await pty.stop()
      ptys.delete(pty)
    },
  }
}, { timeoutMs: 5000 }) // the machine is shared with other builds: be patient, not slow
afterAll(async () => {
  await Promise.all([...ptys].map((p) => p.stop()))
})
