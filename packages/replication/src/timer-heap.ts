// One clock timer for many replicas: their wake-up times in a heap (core's EventQueue), and a
// single timer armed for the earliest. A node following thousands of feeds then holds a number
// per replica, not a timer object and a closure each. Re-arming a replica leaves its old entry
// in the heap; it is skipped when it surfaces (its time no longer matches the replica's `due`).
import { EventQueue, type Clock, type TimerHandle } from '@tinyssb/core'

/** Something with a wake-up time (undefined: none). */
export interface Wakeable {
  due: number | undefined
}

export class TimerHeap<T extends Wakeable> {
  readonly #clock: Clock
  readonly #fire: (item: T) => void
  #queue = new EventQueue()
  #wake: TimerHandle | undefined
  #wakeAt = Number.POSITIVE_INFINITY

  constructor(clock: Clock, fire: (item: T) => void) {
    this.#clock = clock
    this.#fire = fire
  }

  /** Wakes `item` in `ms` (cancelling its earlier wake-up). */
  set(item: T, ms: number): void {
    const at = this.#clock.now() + Math.max(0, ms)
    item.due = at
    this.#queue.push(at, () => {
      if (item.due !== at) return // re-armed or cleared since
      item.due = undefined
      this.#fire(item)
    })
    if (at < this.#wakeAt) this.#arm(at)
  }

  /** Forgets every wake-up. */
  clear(): void {
    if (this.#wake !== undefined) this.#clock.clearTimeout(this.#wake)
    this.#wake = undefined
    this.#wakeAt = Number.POSITIVE_INFINITY
    this.#queue = new EventQueue()
  }

  #arm(at: number): void {
    if (this.#wake !== undefined) this.#clock.clearTimeout(this.#wake)
    this.#wakeAt = at
    this.#wake = this.#clock.setTimeout(() => this.#run(), at - this.#clock.now())
  }

  #run(): void {
    this.#wake = undefined
    this.#wakeAt = Number.POSITIVE_INFINITY
    const now = this.#clock.now()
    for (let ev = this.#queue.peek(); ev !== undefined && ev.at <= now; ev = this.#queue.peek()) {
      this.#queue.pop()
      ev.fn()
    }
    const next = this.#queue.peek()
    if (next !== undefined && this.#wake === undefined) this.#arm(next.at)
  }
}
