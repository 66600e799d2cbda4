// A Map bounded to `max` entries that evicts the least recently used one: serve state per peer
// and de-duplication windows stay bounded however many peers (or forged peer ids) show up.

export class LruMap<K, V> {
  readonly #map = new Map<K, V>()
  readonly #max: number
  /** The most recently used entry (when #hasMru): getting it again leaves the order as it is. */
  #hasMru = false
  #mruKey: K | undefined
  #mruValue: V | undefined

  constructor(max: number) {
    this.#max = Math.max(1, max)
  }

  get size(): number {
    return this.#map.size
  }

  /** The value under `key`, which becomes the most recently used. */
  get(key: K): V | undefined {
    if (this.#hasMru && this.#mruKey === key) return this.#mruValue // already the most recent: no re-insert
    const v = this.#map.get(key)
    if (v === undefined) return undefined
    this.#map.delete(key)
    this.#map.set(key, v)
    this.#remember(key, v)
    return v
  }

  /** Sets `key` (most recently used); returns the entry evicted to make room, if any. */
  set(key: K, value: V): [K, V] | undefined {
    this.#map.delete(key)
    let evicted: [K, V] | undefined
    if (this.#map.size >= this.#max) {
      const first = this.#map.entries().next().value as [K, V]
      this.#map.delete(first[0])
      evicted = first
    }
    this.#map.set(key, value)
    this.#remember(key, value)
    return evicted
  }

  #remember(key: K, value: V): void {
    this.#hasMru = true
    this.#mruKey = key
    this.#mruValue = value
  }

  /** The value under `key`, created by `make` when missing (evicting the least recently used). */
  getOrCreate(key: K, make: () => V): V {
    let v = this.get(key)
    if (v === undefined) this.set(key, (v = make()))
    return v
  }

  /** Values, least recently used first. */
  values(): IterableIterator<V> {
    return this.#map.values()
  }
}
