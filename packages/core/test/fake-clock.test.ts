import { describe, expect, it } from 'vitest'
import { fakeClock } from '../src/index.js'

describe('fakeClock', () => {
  it('starts at the given time and runs nothing until advanced', () => {
    const clock = fakeClock(1000)
    const ran: number[] = []
    clock.setTimeout(() => ran.push(clock.now()), 0)
    expect(clock.now()).toBe(1000)
    expect(ran).toEqual([])
    expect(clock.advance(0)).toBe(1)
    expect(ran).toEqual([1000])
  })

  it('runs due timers in time order, ties in the order set, and sets now() for each', () => {
    const clock = fakeClock()
    const ran: string[] = []
    clock.setTimeout(() => ran.push(`c@${clock.now()}`), 30)
    clock.setTimeout(() => ran.push(`a@${clock.now()}`), 10)
    clock.setTimeout(() => ran.push(`b@${clock.now()}`), 10)
    clock.setTimeout(() => ran.push(`late@${clock.now()}`), 100)
    expect(clock.advance(50)).toBe(3)
    expect(ran).toEqual(['a@10', 'b@10', 'c@30'])
    expect(clock.now()).toBe(50)
    expect(clock.pending()).toBe(1)
  })

  it('runs timers set by timers when they fall within the advance', () => {
    const clock = fakeClock()
    const ran: number[] = []
    const tick = (): void => {
      ran.push(clock.now())
      if (ran.length < 10) clock.setTimeout(tick, 5)
    }
    clock.setTimeout(tick, 5)
    clock.advance(22)
    expect(ran).toEqual([5, 10, 15, 20])
    clock.advance(100)
    expect(ran).toHaveLength(10)
  })

  it('clearTimeout cancels, and ignores unknown handles', () => {
    const clock = fakeClock()
    let ran = false
    const handle = clock.setTimeout(() => (ran = true), 1)
    clock.clearTimeout(handle)
    clock.clearTimeout({})
    clock.clearTimeout(undefined)
    clock.advance(10)
    expect(ran).toBe(false)
  })

  it('runUntilIdle stops at the last timer and respects its limit', () => {
    const clock = fakeClock()
    clock.setTimeout(() => undefined, 40)
    clock.setTimeout(() => undefined, 5000)
    expect(clock.runUntilIdle(1000)).toBe(1)
    expect(clock.now()).toBe(40)
    expect(clock.runUntilIdle()).toBe(1)
    expect(clock.now()).toBe(5000)
    expect(clock.pending()).toBe(0)
  })

  it('stops a timer loop that never lets time pass', () => {
    const clock = fakeClock()
    const loop = (): void => void clock.setTimeout(loop, 0)
    clock.setTimeout(loop, 0)
    expect(() => clock.advance(1)).toThrow(/timers in one run/)
  })

  it('refuses to go backwards', () => {
    expect(() => fakeClock().advance(-1)).toThrow(RangeError)
  })
})

describe('fakeClock.queueTask', () => {
  it('runs tasks at the current instant, after timers already due now and before later ones', () => {
    const clock = fakeClock(5)
    const ran: string[] = []
    clock.setTimeout(() => ran.push('t0'), 0)
    clock.queueTask!(() => ran.push('task'))
    clock.setTimeout(() => ran.push('t1'), 1)
    expect(clock.pending()).toBe(3)
    clock.advance(0)
    expect(ran).toEqual(['t0', 'task'])
    clock.advance(1)
    expect(ran).toEqual(['t0', 'task', 't1'])
  })

  it('cancels timers without running them and counts only live ones', () => {
    const clock = fakeClock()
    const ran: number[] = []
    const h = clock.setTimeout(() => ran.push(1), 10)
    clock.setTimeout(() => ran.push(2), 20)
    clock.clearTimeout(h)
    clock.clearTimeout(h)
    clock.clearTimeout({})
    expect(clock.pending()).toBe(1)
    expect(clock.nextAt()).toBe(20)
    clock.advance(100)
    expect(ran).toEqual([2])
    expect(clock.nextAt()).toBeUndefined()
  })
})
