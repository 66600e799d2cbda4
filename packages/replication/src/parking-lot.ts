// Frames that matched no expectation yet, kept a little while: want-ahead answers and reordered
// frames arrive before the entry they follow. Keyed by DMX (several frames may share one: blobs of
// repetitive content do), bounded, oldest evicted first.

export class ParkingLot<T extends { readonly frame: Uint8Array }> {
  private readonly byKey = new Map<string, T[]>()
  private order: Array<{ key: string; item: T }> = []
  private count = 0

  constructor(private readonly slots: number) {}

  get size(): number {
    return this.count
  }

  /** Parks `item` under `key`; returns the item evicted to make room, if any. */
  add(key: string, item: T): T | undefined {
    const evicted = this.count >= this.slots ? this.evictOldest() : undefined
    const list = this.byKey.get(key)
    if (list) list.push(item)
    else this.byKey.set(key, [item])
    this.order.push({ key, item })
    this.count++
    this.compact()
    return evicted
  }

  /** Takes the oldest item parked under `key`. */
  take(key: string): T | undefined {
    const list = this.byKey.get(key)
    const item = list?.shift()
    if (!item) return undefined
    if (list!.length === 0) this.byKey.delete(key)
    this.count--
    return item
  }

  /** Removes the item holding exactly `frame` under `key`; false when it is not parked. */
  remove(key: string, frame: Uint8Array): boolean {
    const list = this.byKey.get(key)
    const i = list ? list.findIndex((p) => p.frame === frame) : -1
    if (i < 0) return false
    list!.splice(i, 1)
    if (list!.length === 0) this.byKey.delete(key)
    this.count--
    return true
  }

  /** Takes the first (oldest key first) item that `pred` accepts. */
  find(pred: (item: T) => boolean): T | undefined {
    for (const [key, list] of this.byKey) {
      const i = list.findIndex(pred)
      if (i < 0) continue
      const [item] = list.splice(i, 1)
      if (list.length === 0) this.byKey.delete(key)
      this.count--
      return item
    }
    return undefined
  }

  private evictOldest(): T | undefined {
    while (this.order.length > 0) {
      const { key, item } = this.order.shift()!
      if (this.remove(key, item.frame)) return item
    }
    return undefined
  }

  /** Drops bookkeeping of items already taken, so `order` stays proportional to what is parked. */
  private compact(): void {
    if (this.order.length <= 4 * this.slots) return
    this.order = this.order.filter(({ key, item }) => this.byKey.get(key)?.includes(item))
  }
}
