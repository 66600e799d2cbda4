// The discrete-event engine: order of events, the Clock it hands out, settling of promises.
import { describe, expect, it } from 'vitest'
import { Engine, MAX_EVENTS_PER_INSTANT, SimError } from '../src/index.js'

describe('engine', () => {
  it('runs events by time, then in the order they were scheduled', async () => {
    const e = new Engine()
    const log: string[] = []
    e.task(20, -1, () => void log.push('b20'))
    e.task(10, -1, () => void log.push('a10'))
    e.task(20, -1, () => void log.push('c20'))
    await e.run(100)
    expect(log).toEqual(['a10', 'b20', 'c20'])
    expect(e.now).toBe(20)
  })

  it('hands over deliveries before timers and tasks of the same instant (the PoC: arrivals first, then nodes act)', async () => {
    const e = new Engine()
    const log: string[] = []
    const clock = e.clock(0)
    e.task(5, -1, () => {
      log.push('task')
      e.net(5, 0, () => void log.push('late delivery')) // scheduled at the instant: still before the timer
    })
    clock.setTimeout(() => log.push('timer'), 5)
    e.net(5, 0, () => void log.push('delivery'))
    await e.run(10)
    expect(log).toEqual(['delivery', 'task', 'late delivery', 'timer'])
  })

  it('gives each node a Clock on virtual time: setTimeout, clearTimeout, queueTask', async () => {
    const e = new Engine()
    const clock = e.clock(3)
    const log: Array<[string, number]> = []
    const h = clock.setTimeout(() => log.push(['cancelled', clock.now()]), 50)
    clock.setTimeout(() => {
      log.push(['timer', clock.now()])
      clock.queueTask!(() => log.push(['task', clock.now()]))
    }, 40)
    clock.setTimeout(() => log.push(['negative delay runs now', clock.now()]), -5)
    clock.clearTimeout(h)
    clock.clearTimeout({}) // unknown handles are ignored
    await e.run(1000)
    expect(log).toEqual([['negative delay runs now', 0], ['timer', 40], ['task', 40]])
  })

  it('stops at the limit and when done() says so', async () => {
    const e = new Engine()
    const ran: number[] = []
    for (const t of [1, 2, 3, 4]) e.task(t, -1, () => void ran.push(t))
    await e.run(2)
    expect(ran).toEqual([1, 2])
    await e.run(10, { done: () => ran.length >= 3 })
    expect(ran).toEqual([1, 2, 3])
  })

  it('awaits the promises of its own tasks and lets the code it runs settle before the next event', async () => {
    const e = new Engine()
    const clock = e.clock(0)
    const log: string[] = []
    e.task(1, 0, async () => {
      await Promise.resolve()
      await Promise.resolve()
      log.push(`append done at ${clock.now()}`)
    })
    clock.setTimeout(async () => {
      for (let i = 0; i < 5; i++) await null
      clock.setTimeout(() => log.push(`follow-up at ${clock.now()}`), 0) // set after 5 microtask turns
    }, 1)
    e.task(2, -1, () => void log.push('t=2'))
    await e.run(10, { settle: () => Promise.resolve() })
    expect(log).toEqual(['append done at 1', 'follow-up at 1', 't=2'])
  })

  it('stops a runaway (a task that reschedules itself at once) with SIM_RUNAWAY', async () => {
    const e = new Engine()
    const clock = e.clock(0)
    const again = (): void => clock.queueTask!(again)
    again()
    const err = await e.run(10).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(SimError)
    expect((err as SimError).code).toBe('SIM_RUNAWAY')
    expect(e.events).toBe(MAX_EVENTS_PER_INSTANT)
  })
})
