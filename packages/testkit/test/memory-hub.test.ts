import { describe, expect, it } from 'vitest'
import { FaceError } from '../src/errors.js'
import { fakeClock } from '@tinyssb/core'
import { memoryHub, memoryLink, type MemoryHubOptions } from '../src/memory-hub.js'

const FRAMES = 2000

/** Sends FRAMES tagged frames a → b over a fake clock; returns the tags b got, in order, and the stats. */
async function run(options: MemoryHubOptions): Promise<{ got: number[]; stats: ReturnType<typeof memoryHub>['stats'] }> {
  const clock = fakeClock()
  const { a, b, hub } = memoryLink({ ...options, clock })
  const got: number[] = []
  b.onFrame((frame) => got.push((frame[0] as number) * 256 + (frame[1] as number)))
  for (let i = 0; i < FRAMES; i++) {
    await a.send(Uint8Array.of(i >> 8, i & 0xff, 0))
    clock.advance(1)
  }
  clock.runUntilIdle()
  await hub.close()
  return { got, stats: hub.stats }
}

const inversions = (xs: number[]): number => xs.filter((x, i) => i > 0 && x < (xs[i - 1] as number)).length

describe('memoryHub', () => {
  it('delivers to every other face, asynchronously, with the sender name as from', async () => {
    const hub = memoryHub()
    const faces = ['x', 'y', 'z'].map((name) => hub.face(name))
    const got: string[] = []
    for (const face of faces) face.onFrame((frame, from) => got.push(`${face.name}<-${from}:${frame.length}`))
    const sending = faces[0]!.send(new Uint8Array(5))
    expect(got).toEqual([]) // never inside send()
    await sending
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(got.sort()).toEqual(['y<-x:5', 'z<-x:5'])
    await hub.close()
  })

  it('is addressable: send(frame, to) reaches only the face named, still through loss; an unknown or own name is FACE_PEER', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ clock })
    const faces = ['x', 'y', 'z'].map((name) => hub.face(name))
    const got: string[] = []
    for (const face of faces) face.onFrame((frame, from) => got.push(`${face.name}<-${from}:${frame[0]}`))
    expect(faces[0]!.addressable).toBe(true)
    await faces[0]!.send(Uint8Array.of(1), 'z')
    await faces[1]!.send(Uint8Array.of(2))
    clock.advance(0)
    expect(got.sort()).toEqual(['x<-y:2', 'z<-x:1', 'z<-y:2'])
    for (const to of ['nobody', 'x']) {
      await expect(faces[0]!.send(Uint8Array.of(3), to)).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_PEER' })
    }
    await faces[2]!.close()
    await expect(faces[0]!.send(Uint8Array.of(4), 'z')).rejects.toMatchObject({ code: 'FACE_PEER' }) // closed: gone
    expect(hub.stats.sent).toBe(2)
    await hub.close()
    const lossy = memoryHub({ clock, loss: 1 })
    const [p, q] = [lossy.face('p'), lossy.face('q')]
    let atQ = 0
    q.onFrame(() => atQ++)
    await p.send(Uint8Array.of(5), 'q')
    clock.advance(0)
    expect([atQ, lossy.stats.lost]).toEqual([0, 1])
    await lossy.close()
  })

  it('names faces mem:<n> by default and refuses a name twice', async () => {
    const hub = memoryHub()
    expect(hub.face().name).toBe('mem:0')
    expect(hub.face().name).toBe('mem:1')
    hub.face('p')
    expect(() => hub.face('p')).toThrow(TypeError)
    await hub.close()
    expect(() => hub.face('q')).toThrow(TypeError)
  })

  it('refuses frames over the mtu and empty frames with FaceError codes', async () => {
    const { a, hub } = memoryLink({ mtu: 120 })
    await expect(a.send(new Uint8Array(121))).rejects.toBeInstanceOf(FaceError)
    await expect(a.send(new Uint8Array(121))).rejects.toMatchObject({ code: 'FACE_MTU', message: expect.stringMatching(/121 bytes exceeds mtu 120/) })
    await expect(a.send(new Uint8Array(0))).rejects.toMatchObject({ code: 'FACE_EMPTY' })
    await a.send(new Uint8Array(120))
    expect(hub.stats.sent).toBe(1)
    await hub.close()
  })

  it('uses the given clock for delay: nothing arrives before min, everything by max', async () => {
    const clock = fakeClock()
    const { a, b, hub } = memoryLink({ clock, delayMs: [10, 20] })
    let count = 0
    b.onFrame(() => count++)
    for (let i = 0; i < 50; i++) await a.send(new Uint8Array(3))
    clock.advance(9)
    expect(count).toBe(0)
    clock.advance(11)
    expect(count).toBe(50)
    await hub.close()
  })

  it('cancels frames on the way when the hub or the receiver closes', async () => {
    const clock = fakeClock()
    const hub = memoryHub({ clock, delayMs: [5, 5] })
    const [a, b, c] = [hub.face('a'), hub.face('b'), hub.face('c')]
    let atB = 0
    let atC = 0
    b.onFrame(() => atB++)
    c.onFrame(() => atC++)
    await a.send(new Uint8Array(1))
    await c.close()
    clock.advance(5)
    expect([atB, atC]).toEqual([1, 0])
    await a.send(new Uint8Array(1))
    await hub.close()
    expect(clock.pending()).toBe(0)
    clock.advance(10)
    expect(atB).toBe(1)
  })

  it('counts handlers that throw and goes on', async () => {
    const clock = fakeClock()
    const { a, b, hub } = memoryLink({ clock })
    let ok = 0
    b.onFrame(() => {
      throw new Error('boom')
    })
    b.onFrame(() => ok++)
    await a.send(new Uint8Array(1))
    await a.send(new Uint8Array(1))
    clock.advance(0)
    expect(ok).toBe(2)
    expect(hub.stats.handlerErrors).toBe(2)
    await hub.close()
  })

  it('is deterministic for a seed, and differs between seeds', async () => {
    const options = { loss: 0.2, duplicate: 0.1, reorder: 0.1, delayMs: [0, 3] as const }
    const first = await run({ ...options, seed: 11 })
    const again = await run({ ...options, seed: 11 })
    const other = await run({ ...options, seed: 12 })
    expect(again.got).toEqual(first.got)
    expect(again.stats).toEqual(first.stats)
    expect(other.got).not.toEqual(first.got)
  })

  it('loses roughly the given share', async () => {
    const { got, stats } = await run({ seed: 5, loss: 0.1 })
    expect(stats.lost).toBeGreaterThan(FRAMES * 0.07)
    expect(stats.lost).toBeLessThan(FRAMES * 0.13)
    expect(got).toHaveLength(FRAMES - stats.lost)
    expect(inversions(got)).toBe(0)
  })

  it('duplicates roughly the given share', async () => {
    const { got, stats } = await run({ seed: 6, duplicate: 0.1 })
    expect(stats.duplicated).toBeGreaterThan(FRAMES * 0.07)
    expect(stats.duplicated).toBeLessThan(FRAMES * 0.13)
    expect(got).toHaveLength(FRAMES + stats.duplicated)
    expect(new Set(got).size).toBe(FRAMES)
  })

  it('reorders roughly the given share and loses nothing', async () => {
    const { got, stats } = await run({ seed: 7, reorder: 0.1 })
    expect(stats.reordered).toBeGreaterThan(FRAMES * 0.07)
    expect(stats.reordered).toBeLessThan(FRAMES * 0.13)
    expect(inversions(got)).toBe(stats.reordered)
    expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: FRAMES }, (_, i) => i))
  })

  it('releases a held frame after REORDER_HOLD_MS when nothing overtakes it', async () => {
    const clock = fakeClock()
    const { a, b, hub } = memoryLink({ clock, reorder: 1 })
    let count = 0
    b.onFrame(() => count++)
    await a.send(new Uint8Array(1))
    clock.advance(0)
    expect(count).toBe(0)
    clock.advance(20)
    expect(count).toBe(1)
    await hub.close()
  })

  it('checks its options', () => {
    expect(() => memoryHub({ loss: 2 })).toThrow(RangeError)
    expect(() => memoryHub({ delayMs: [5, 1] })).toThrow(RangeError)
  })
})
