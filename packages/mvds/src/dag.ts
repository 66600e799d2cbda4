// 4/MVDS-META: the parents DAG of each group. Tracks, for `dag: true` appends, the group's heads
// (messages without known children), and for `consistent` delivery which messages wait for which
// undelivered parents. In memory only: rebuilt from the message store when a node opens.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'

/** How received messages reach subscribers: at once, or only after all their parents. */
export type DeliveryMode = 'eventual' | 'consistent'

export class DagTracker {
  readonly #consistent: boolean
  readonly #known = new Set<string>() // processed (stored) message ids
  readonly #hasChild = new Set<string>()
  readonly #heads = new Map<string, Set<string>>() // group → ids without children
  readonly #waiting = new Map<string, Set<string>>() // undelivered parent → children waiting for it
  readonly #missing = new Map<string, number>() // child → number of undelivered parents

  constructor(delivery: DeliveryMode) {
    this.#consistent = delivery === 'consistent'
  }

  /** Whether `id` was stored and (consistent mode) delivered. */
  delivered(id: string): boolean {
    return this.#known.has(id) && !this.#missing.has(id)
  }

  /** Messages stored but waiting for a parent (consistent mode). */
  get waiting(): number {
    return this.#missing.size
  }

  /** The heads of `group`: the parents of the next `dag: true` append. */
  heads(group: Uint8Array): Uint8Array[] {
    return [...(this.#heads.get(bytesToHex(group)) ?? [])].map(hexToBytes)
  }

  /**
   * Records a stored message.
   * @returns the ids that became deliverable, in delivery order (this one first when it is), and
   *   the parents that are not stored (to REQUEST).
   */
  add(id: Uint8Array, group: Uint8Array, parents: readonly Uint8Array[]): { deliver: string[]; missing: Uint8Array[] } {
    const key = bytesToHex(id)
    const deliver: string[] = []
    const missing: Uint8Array[] = []
    if (this.#known.has(key)) return { deliver, missing }
    this.#known.add(key)
    const g = bytesToHex(group)
    let heads = this.#heads.get(g)
    if (!heads) this.#heads.set(g, (heads = new Set()))
    if (!this.#hasChild.has(key)) heads.add(key)
    let undelivered = 0
    for (const p of parents) {
      const pk = bytesToHex(p)
      this.#hasChild.add(pk)
      heads.delete(pk)
      if (!this.#known.has(pk)) missing.push(p)
      if (this.#consistent && !this.delivered(pk)) {
        let children = this.#waiting.get(pk)
        if (!children) this.#waiting.set(pk, (children = new Set()))
        if (!children.has(key)) {
          children.add(key)
          undelivered++
        }
      }
    }
    if (undelivered > 0) {
      this.#missing.set(key, undelivered)
      return { deliver, missing }
    }
    // Deliver this one, then every child whose last undelivered parent it was, transitively.
    const stack = [key]
    while (stack.length > 0) {
      const done = stack.pop()!
      deliver.push(done)
      const children = this.#waiting.get(done)
      if (!children) continue
      this.#waiting.delete(done)
      for (const child of children) {
        const left = (this.#missing.get(child) ?? 1) - 1
        if (left > 0) this.#missing.set(child, left)
        else {
          this.#missing.delete(child)
          stack.push(child)
        }
      }
    }
    return { deliver, missing }
  }
}
