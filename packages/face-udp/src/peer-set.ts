// The peers a learning unicast face has heard: bounded, least recently heard evicted first.
import type { PeerId } from '@tinyssb/core'
import type { UdpAddress } from './udp-socket.js'

/** Default bound of the peers a learning unicast face remembers. */
export const UDP_MAX_PEERS = 16

/**
 * Recently heard peers, most recent last; at most `max`. Beyond, the least recently heard peer of
 * the host with the most peers is evicted (with `groupOf`), so one host sending from many ports
 * pushes out its own ports, not the other hosts' peers; without `groupOf`, the least recently heard.
 */
export class PeerSet {
  readonly #max: number
  readonly #groupOf: ((id: PeerId) => string) | undefined
  readonly #peers = new Map<PeerId, UdpAddress>() // insertion order = least recently heard first

  constructor(max: number, groupOf?: (id: PeerId) => string) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`"maxPeers" expected a positive integer, got ${max}`)
    this.#max = max
    this.#groupOf = groupOf
  }

  /** Records that `id` was heard now. */
  heard(id: PeerId, address: UdpAddress): void {
    this.#peers.delete(id)
    this.#peers.set(id, address)
    if (this.#peers.size > this.#max) this.#peers.delete(this.#victim())
  }

  /** The peer to evict: the least recently heard of the largest group (O(max), on overflow only). */
  #victim(): PeerId {
    const first = this.#peers.keys().next().value as PeerId
    const groupOf = this.#groupOf
    if (!groupOf) return first
    const counts = new Map<string, number>()
    for (const id of this.#peers.keys()) counts.set(groupOf(id), (counts.get(groupOf(id)) ?? 0) + 1)
    let largest = 0
    for (const n of counts.values()) largest = Math.max(largest, n)
    for (const id of this.#peers.keys()) if (counts.get(groupOf(id)) === largest) return id
    return first
  }

  /** The address of a known peer, or undefined. */
  get(id: PeerId): UdpAddress | undefined {
    return this.#peers.get(id)
  }

  /** The most recently heard peer, or undefined. */
  latest(): UdpAddress | undefined {
    let last: UdpAddress | undefined
    for (const a of this.#peers.values()) last = a
    return last
  }

  /** Known peers, most recently heard first. */
  ids(): PeerId[] {
    return [...this.#peers.keys()].reverse()
  }
}
