import { describe, expect, it } from 'vitest'
import {
  EventQueue,
  FaceError,
  TinySSBError,
  checkFrame,
  countDrop,
  deriveSeed,
  errorCode,
  fakeClock,
  mulberry32,
  newTrafficStats,
  soon,
  systemClock,
  totalDropped,
  type Clock,
} from '../src/index.js'

describe('checkFrame', () => {
  it('accepts 1..mtu bytes and refuses empty and oversized frames with typed errors', () => {
    expect(() => checkFrame('f', 120, new Uint8Array(1))).not.toThrow()
    expect(() => checkFrame('f', 120, new Uint8Array(120))).not.toThrow()
    const empty = (() => { try { checkFrame('f', 120, new Uint8Array(0)) } catch (e) { return e } })()
    expect(empty).toBeInstanceOf(FaceError)
    expect(errorCode(empty)).toBe('FACE_EMPTY')
    const big = (() => { try { checkFrame('f', 120, new Uint8Array(121)) } catch (e) { return e } })()
    expect(big).toBeInstanceOf(TinySSBError)
    expect(errorCode(big)).toBe('FACE_MTU')
    expect((big as Error).message).toContain('121')
  })
})

describe('errorCode', () => {
  it('gives the code of typed errors and ERROR for anything else', () => {
    expect(errorCode(new FaceError('FACE_IO', 'x'))).toBe('FACE_IO')
    expect(errorCode(new Error('x'))).toBe('ERROR')
    expect(errorCode(undefined)).toBe('ERROR')
    expect(errorCode({ code: 7 })).toBe('ERROR')
  })
})

describe('soon', () => {
  it('uses queueTask when the clock has one, else a zero timeout', () => {
    const fake = fakeClock()
    const ran: string[] = []
    soon(fake, () => ran.push('q'))
    const plain: Clock = { now: () => 0, setTimeout: (fn, ms) => fake.setTimeout(fn, ms), clearTimeout: () => {} }
    soon(plain, () => ran.push('t'))
    expect(ran).toEqual([])
    fake.advance(0)
    expect(ran).toEqual(['q', 't'])
  })

  it('runs on the system clock after the current task', async () => {
    const ran: number[] = []
    await new Promise<void>((resolve) => {
      soon(systemClock, () => { ran.push(2); resolve() })
      ran.push(1)
    })
    expect(ran).toEqual([1, 2])
    const t0 = systemClock.now()
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 5))
    expect(systemClock.now() - t0).toBeGreaterThanOrEqual(4)
  })
})

describe('EventQueue', () => {
  it('pops in (time, insertion) order across many random pushes and cancels', () => {
    const rand = mulberry32(3)
    const q = new EventQueue()
    const live: Array<{ at: number; order: number }> = []
    const handles = []
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(rand() * 50)
      const ev = q.push(at, () => {})
      handles.push(ev)
      live.push({ at, order: ev.order })
    }
    const cancelled = new Set<number>()
    for (let i = 0; i < 500; i++) {
      const ev = handles[Math.floor(rand() * handles.length)]!
      if (!ev.cancelled) cancelled.add(ev.order)
      q.cancel(ev)
    }
    expect(q.size).toBe(2000 - cancelled.size)
    const expected = live.filter((e) => !cancelled.has(e.order)).sort((a, b) => a.at - b.at || a.order - b.order)
    const got = []
    for (let ev = q.pop(); ev; ev = q.pop()) got.push({ at: ev.at, order: ev.order })
    expect(got).toEqual(expected)
    expect(q.size).toBe(0)
  })
})

describe('seeded randomness', () => {
  it('mulberry32 repeats per seed and deriveSeed gives independent, stable streams', () => {
    const a = mulberry32(42), b = mulberry32(42)
    for (let i = 0; i < 100; i++) expect(a()).toBe(b())
    expect(deriveSeed(1, 'node:A')).toBe(deriveSeed(1, 'node:A'))
    expect(deriveSeed(1, 'node:A')).not.toBe(deriveSeed(1, 'node:B'))
    expect(deriveSeed(1, 'node:A')).not.toBe(deriveSeed(2, 'node:A'))
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(7, `n${i}`)))
    expect(seeds.size).toBe(1000)
  })
})

describe('traffic stats', () => {
  it('counts drops by reason', () => {
    const s = newTrafficStats()
    countDrop(s, 'NO_DMX')
    countDrop(s, 'NO_DMX')
    countDrop(s, 'FACE_MTU', 3)
    expect(s.dropped).toEqual({ NO_DMX: 2, FACE_MTU: 3 })
    expect(totalDropped(s)).toBe(5)
  })
})
