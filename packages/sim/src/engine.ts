// The discrete-event engine: virtual time in milliseconds, events ordered by (time, insertion
// order) with deliveries before timers at the same instant (the PoC's arrival-tick queue: frames
// that arrive at T are handed over before any node acts at T). It implements the Clock seam for
// every node, and lets the promises of the code it runs settle between events, so async stores
// and engines run as if on a real event loop, only deterministically.
import { EventQueue, type Clock, type QueuedEvent } from '@tinyssb/core'
import { SimError } from './errors.js'

/** Events at one instant beyond which a run is stopped as a runaway (a task rescheduling itself at once). */
export const MAX_EVENTS_PER_INSTANT = 1_000_000

/** What the engine asks its owner after each event. */
export interface EngineHooks {
  /** Resolves when node `owner` has finished reacting (its pending promises settled). */
  settle?(owner: number): Promise<void> | void
  /** Checked after each event: true stops the run. */
  done?(): boolean
  /** Called every PROGRESS_EVERY events with the virtual time (ms), e.g. for a progress bar. */
  progress?(nowMs: number): void
}

/** Events between two calls of {@link EngineHooks.progress}. */
export const PROGRESS_EVERY = 8192

type Task = () => void | Promise<void>

/** A discrete-event engine; one per run. */
export class Engine {
  #now = 0
  readonly #net = new EventQueue()
  readonly #tasks = new EventQueue()
  #owner = -1
  #pending: Promise<void> | void = undefined
  #events = 0
  /** Counts calls that change the future (sends, timers): settling goes on while it moves. */
  activity = 0

  /** Virtual time, ms. */
  get now(): number {
    return this.#now
  }

  /** Events run so far. */
  get events(): number {
    return this.#events
  }

  /** Schedules a delivery (runs before timers at the same instant); `owner` is the receiving node. */
  net(at: number, owner: number, fn: () => void): void {
    this.activity++
    this.#net.push(at, this.#wrap(owner, fn))
  }

  /**
   * Schedules a task of node `owner` (-1: the simulator's own). A promise it returns is awaited
   * before the next event (the simulator's own tasks: starts, appends).
   */
  task(at: number, owner: number, fn: Task): QueuedEvent {
    this.activity++
    return this.#tasks.push(at, this.#wrap(owner, fn))
  }

  /** The Clock a node sees: virtual time; its timers and tasks are attributed to it. */
  clock(owner: number): Clock {
    return {
      now: () => this.#now,
      // what a timer callback returns is ignored, as on a real clock
      setTimeout: (fn, ms) => this.task(this.#now + (Number.isFinite(ms) && ms > 0 ? ms : 0), owner, () => void fn()),
      clearTimeout: (h) => {
        if (h && typeof h === 'object' && 'cancelled' in h) {
          this.activity++
          this.#tasks.cancel(h as QueuedEvent)
        }
      },
      queueTask: (fn) => void this.task(this.#now, owner, () => void fn()),
    }
  }

  #wrap(owner: number, fn: Task): () => void {
    return () => {
      this.#owner = owner
      this.#pending = fn()
    }
  }

  /**
   * Runs events in order until none is left, the next is after `untilMs`, or `hooks.done()`.
   * Time ends at the last event run (or at `untilMs` when the queue ran dry before it).
   * @throws SimError SIM_RUNAWAY when one instant has more than MAX_EVENTS_PER_INSTANT events.
   */
  async run(untilMs: number, hooks: EngineHooks = {}): Promise<void> {
    let instant = -1
    let atInstant = 0
    for (;;) {
      const n = this.#net.peek()
      const t = this.#tasks.peek()
      const q = n !== undefined && (t === undefined || n.at <= t.at) ? this.#net : this.#tasks
      const ev = q.peek()
      if (ev === undefined || ev.at > untilMs) break
      q.pop()
      if (ev.at !== instant) [instant, atInstant] = [ev.at, 0]
      if (++atInstant > MAX_EVENTS_PER_INSTANT) {
        throw new SimError('SIM_RUNAWAY', `more than ${MAX_EVENTS_PER_INSTANT} events at t=${ev.at} ms: a protocol reschedules itself without delay`)
      }
      this.#now = ev.at
      if (++this.#events % PROGRESS_EVERY === 0) hooks.progress?.(ev.at)
      ev.fn()
      const pending = this.#pending
      this.#pending = undefined
      if (pending) await pending
      const owner = this.#owner
      const settling = owner >= 0 ? hooks.settle?.(owner) : undefined
      if (settling) await settling
      await this.settle()
      if (hooks.done?.()) return
    }
  }

  /** Lets pending promises run until a few microtask turns pass without any new send or timer. */
  async settle(): Promise<void> {
    let mark: number
    do {
      mark = this.activity
      await undefined
      await undefined
      await undefined
    } while (mark !== this.activity)
  }
}
