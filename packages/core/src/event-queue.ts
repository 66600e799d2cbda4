// A binary min-heap of events ordered by (at, order): the heart of the fake clock and of the
// simulator. Cancelled events stay in the heap and are skipped when they surface (O(log n) each).

/** One scheduled event. */
export interface QueuedEvent {
  readonly at: number
  readonly order: number
  readonly fn: () => void
  cancelled: boolean
}

/** Events in time order; ties in the order they were scheduled. */
export class EventQueue {
  #heap: QueuedEvent[] = []
  #order = 0
  #live = 0

  /** Events scheduled and neither run nor cancelled. */
  get size(): number {
    return this.#live
  }

  push(at: number, fn: () => void): QueuedEvent {
    const ev: QueuedEvent = { at, order: this.#order++, fn, cancelled: false }
    const h = this.#heap
    h.push(ev)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(ev, h[p]!)) break
      h[i] = h[p]!
      i = p
    }
    h[i] = ev
    this.#live++
    return ev
  }

  cancel(ev: QueuedEvent): void {
    if (ev.cancelled) return
    ev.cancelled = true
    this.#live--
  }

  /** The next live event without removing it. */
  peek(): QueuedEvent | undefined {
    this.#skipCancelled()
    return this.#heap[0]
  }

  /** Removes and returns the next live event; it counts as run (cancel() is a no-op on it). */
  pop(): QueuedEvent | undefined {
    this.#skipCancelled()
    const ev = this.#removeTop()
    if (ev) {
      ev.cancelled = true
      this.#live--
    }
    return ev
  }

  #skipCancelled(): void {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) this.#removeTop()
  }

  #removeTop(): QueuedEvent | undefined {
    const h = this.#heap
    const top = h[0]
    const last = h.pop()
    if (top === undefined || last === undefined || h.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= h.length) break
      const r = l + 1
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l
      if (!before(h[c]!, last)) break
      h[i] = h[c]!
      i = c
    }
    h[i] = last
    return top
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order)
}
