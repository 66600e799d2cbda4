// The in-memory stores: the default, and the index the disk store replays its journal into.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { MvdsError } from './errors.js'
import type { MessageStore, MvdsStores, PeerKey, PeerStore, SyncRecord, SyncStateStore } from './stores.js'
import type { MvdsMessage, RecordType } from './types.js'

class MemoryMessages implements MessageStore {
  readonly #map = new Map<string, MvdsMessage>()
  has(id: Uint8Array): boolean {
    return this.#map.has(bytesToHex(id))
  }
  get(id: Uint8Array): MvdsMessage | undefined {
    return this.#map.get(bytesToHex(id))
  }
  add(id: Uint8Array, message: MvdsMessage): boolean {
    const key = bytesToHex(id)
    if (this.#map.has(key)) return false
    this.#map.set(key, message)
    return true
  }
  *entries(): IterableIterator<readonly [Uint8Array, MvdsMessage]> {
    for (const [k, m] of this.#map) yield [hexToBytes(k), m]
  }
  get size(): number {
    return this.#map.size
  }
}

const pairKey = (peer: PeerKey, id: Uint8Array): string => `${peer}\n${bytesToHex(id)}`

class MemoryState implements SyncStateStore {
  readonly #records = new Map<string, SyncRecord>()
  readonly #byPair = new Map<string, Set<string>>() // (peer, id) → record keys
  readonly #perPeer = new Map<PeerKey, number>()

  get(peer: PeerKey, id: Uint8Array, type: RecordType, copy = 0): SyncRecord | undefined {
    return this.#records.get(`${pairKey(peer, id)}\n${type}\n${copy}`)
  }
  put(r: SyncRecord): void {
    const pair = pairKey(r.peer, r.id)
    const key = `${pair}\n${r.type}\n${r.copy}`
    const record: SyncRecord = { ...r, id: r.id.slice(), groupId: r.groupId?.slice() }
    if (!this.#records.has(key)) {
      let keys = this.#byPair.get(pair)
      if (!keys) this.#byPair.set(pair, (keys = new Set()))
      keys.add(key)
      this.#perPeer.set(r.peer, (this.#perPeer.get(r.peer) ?? 0) + 1)
    }
    this.#records.set(key, record)
  }
  remove(peer: PeerKey, id: Uint8Array, type?: RecordType): number {
    const pair = pairKey(peer, id)
    const keys = this.#byPair.get(pair)
    if (!keys) return 0
    let removed = 0
    for (const key of [...keys]) {
      if (type !== undefined && this.#records.get(key)?.type !== type) continue
      this.#records.delete(key)
      keys.delete(key)
      removed++
    }
    if (keys.size === 0) this.#byPair.delete(pair)
    const left = (this.#perPeer.get(peer) ?? 0) - removed
    if (left > 0) this.#perPeer.set(peer, left)
    else this.#perPeer.delete(peer)
    return removed
  }
  records(): SyncRecord[] {
    return [...this.#records.values()]
  }
  count(peer: PeerKey): number {
    return this.#perPeer.get(peer) ?? 0
  }
  get size(): number {
    return this.#records.size
  }
}

class MemoryPeers implements PeerStore {
  readonly #groups = new Map<string, PeerKey[]>()
  #epoch = 0
  add(group: Uint8Array, peer: PeerKey): boolean {
    const key = bytesToHex(group)
    const list = this.#groups.get(key) ?? []
    if (list.includes(peer)) return false
    this.#groups.set(key, [...list, peer])
    return true
  }
  remove(group: Uint8Array, peer: PeerKey): boolean {
    const key = bytesToHex(group)
    const list = this.#groups.get(key)
    if (!list?.includes(peer)) return false
    const rest = list.filter((p) => p !== peer)
    if (rest.length > 0) this.#groups.set(key, rest)
    else this.#groups.delete(key)
    return true
  }
  peers(group: Uint8Array): PeerKey[] {
    return [...(this.#groups.get(bytesToHex(group)) ?? [])]
  }
  shares(group: Uint8Array, peer: PeerKey): boolean {
    return this.#groups.get(bytesToHex(group))?.includes(peer) ?? false
  }
  groups(): Uint8Array[] {
    return [...this.#groups.keys()].map(hexToBytes)
  }
  getEpoch(): number {
    return this.#epoch
  }
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`mvds: epoch expected a safe integer >= 0, got ${epoch}`)
    this.#epoch = epoch
  }
}

/** Fresh in-memory stores without flush/close (the disk store replays its journal into these). */
export function rawMemoryStores(): { messages: MessageStore; state: SyncStateStore; peers: PeerStore } {
  return { messages: new MemoryMessages(), state: new MemoryState(), peers: new MemoryPeers() }
}

/**
 * In-memory stores: everything is lost when the process ends.
 * @example
 * const node = createMvdsNode({ faces: [face], stores: memoryStores() })
 */
export function memoryStores(): MvdsStores {
  let closed = false
  return {
    ...rawMemoryStores(),
    flush() {
      if (closed) throw new MvdsError('MVDS_CLOSED', 'mvds: stores are closed')
    },
    close() {
      closed = true
    },
  }
}
