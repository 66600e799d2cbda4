// The peers a learning unicast face has heard: bounded, least recently heard evicted first.
import type { PeerId } from '@tinyssb/core'
import type { UdpAddress } from './udp-socket.js'

/** Default bound of the peers a learning unicast face remembers. */
export const UDP_MAX_PEERS = 16

/** Recently heard peers, most recent last; at most `max`, the least recently heard evicted. */
export class PeerSet {
  readonly #max: number
  readonly #peers = new Map<PeerId, UdpAddress>() // insertion order = least recently heard first

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`"maxPeers" expected a positive integer, got ${max}`)
    this.#max = max
  }

  /** Records that `id` was heard now. */
  heard(id: PeerId, address: UdpAddress): void {
    this.#peers.delete(id)
    this.#peers.set(id, address)
    if (this.#peers.size > this.#max) this.#peers.delete(this.#peers.keys().next().value as PeerId)
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
