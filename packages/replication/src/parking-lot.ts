// Frames that matched no expectation yet, kept a little while: want-ahead answers and reordered
// frames arrive before the entry they follow. Keyed by DMX (several frames may share one: blobs of
// repetitive content do), bounded. Each frame has a rank (how plausible it is as an answer): when
// full, the oldest frame of the lowest rank is evicted, and a frame ranked below everything parked
// is turned away, so garbage cannot push out frames that are likely answers.

interface Slot<T> {
  readonly item: T
  readonly rank: number
}

export class ParkingLot<T extends { readonly frame: Uint8Array }> {
  private readonly byKey = new Map<string, Array<Slot<T>>>()
  /** Per rank, keys and items in the order parked (with stale entries, compacted now and then). */
  private readonly orders: Array<Array<{ key: string; item: T }>> = []
  private readonly counts: number[] = []
  private count = 0

  constructor(private readonly slots: number) {}

  get size(): number {
    return this.count
  }

  /**
   * Parks `item` under `key` with `rank` (a small integer ≥ 0, higher: more plausible).
   * @returns the item turned away to make room: the oldest of the lowest rank parked, or `item`
   *   itself (not parked) when everything parked ranks higher; undefined when there was room.
   */
  add(key: string, item: T, rank = 0): T | undefined {
    let evicted: T | undefined
    if (this.count >= this.slots) {
      const lowest = this.counts.findIndex((n) => n > 0)
      if (lowest < 0 || lowest > rank) return item
      evicted = this.evictOldest(lowest)
    }
    const list = this.byKey.get(key)
    if (list) list.push({ item, rank })
    else this.byKey.set(key, [{ item, rank }])
    ;(this.orders[rank] ??= []).push({ key, item })
    for (let r = this.counts.length; r <= rank; r++) this.counts[r] = 0
    this.counts[rank]!++
    this.count++
    this.compact(rank)
    return evicted
  }

  /** Whether a frame with the same bytes as `frame` is parked under `key`. */
  has(key: string, frame: Uint8Array): boolean {
    const list = this.byKey.get(key)
    return list !== undefined && list.some((s) => equalFrames(s.item.frame, frame))
  }

  /** Takes the oldest item parked under `key`. */
  take(key: string): T | undefined {
    const list = this.byKey.get(key)
    const slot = list?.shift()
    if (!slot) return undefined
    if (list!.length === 0) this.byKey.delete(key)
    this.taken(slot)
    return slot.item
  }

  /** Removes the item holding exactly `frame` under `key`; false when it is not parked. */
  remove(key: string, frame: Uint8Array): boolean {
    const list = this.byKey.get(key)
    const i = list ? list.findIndex((p) => p.item.frame === frame) : -1
    if (i < 0) return false
    const [slot] = list!.splice(i, 1)
    if (list!.length === 0) this.byKey.delete(key)
    this.taken(slot!)
    return true
  }

  /** Takes the first (oldest key first) item that `pred` accepts. */
  find(pred: (item: T) => boolean): T | undefined {
    for (const [key, list] of this.byKey) {
      const i = list.findIndex((s) => pred(s.item))
      if (i < 0) continue
      const [slot] = list.splice(i, 1)
      if (list.length === 0) this.byKey.delete(key)
      this.taken(slot!)
      return slot!.item
    }
    return undefined
  }

  private taken(slot: Slot<T>): void {
    this.counts[slot.rank]!--
    this.count--
  }

  private evictOldest(rank: number): T | undefined {
    const order = this.orders[rank] ?? []
    while (order.length > 0) {
      const { key, item } = order.shift()!
      if (this.remove(key, item.frame)) return item
    }
    return undefined
  }

  /** Drops bookkeeping of items already taken, so an order stays proportional to what is parked. */
  private compact(rank: number): void {
    const order = this.orders[rank]!
    if (order.length <= 4 * this.slots) return
    this.orders[rank] = order.filter(({ key, item }) => this.byKey.get(key)?.some((s) => s.item === item))
  }
}

function equalFrames(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false // the signature differs first
  return true
}
