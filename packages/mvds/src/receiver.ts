// The receiving side of a node: one payload from one peer, handled at once (2/MVDS "Flow"):
// ACKs remove state, REQUESTs add MESSAGE state, OFFERs of unknown messages add REQUEST state,
// MESSAGEs are stored, ACKed (unless ephemeral), relayed to the group's other peers and delivered.
import { countDrop, errorCode } from '@tinyssb/core'
import { bytesToHex } from '@noble/hashes/utils.js'
import { decodePayload } from './codec.js'
import { messageId } from './message-id.js'
import type { NodeCore } from './node.js'
import { EPHEMERAL_SEEN } from './node-options.js'
import { peerKey, type PeerKey } from './stores.js'
import type { MvdsMessage, MvdsPayload } from './types.js'

export class Receiver {
  readonly #seenEphemeral = new Set<string>()

  constructor(
    private readonly core: NodeCore,
    private readonly resetOnContact: boolean,
    private readonly deliverEphemeral: (m: MvdsMessage, from: PeerKey) => void,
  ) {}

  onFrame(faceName: string, frame: Uint8Array, from: string): void {
    const { stats } = this.core
    stats.framesIn++
    stats.bytesIn += frame.length
    let payload: MvdsPayload
    try {
      payload = decodePayload(frame, { numbering: this.core.o.numbering, limits: this.core.limits })
    } catch (err) {
      return countDrop(stats, errorCode(err))
    }
    const peer = peerKey(faceName, from)
    if (this.resetOnContact) this.core.contact(peer)
    this.#acks(peer, payload.acks)
    this.#requests(peer, payload.requests)
    this.#offers(peer, payload.offers)
    for (const m of payload.messages) this.#message(peer, m)
  }

  #acks(peer: PeerKey, acks: readonly Uint8Array[]): void {
    const { stats, stores } = this.core
    for (const id of acks) {
      stats.received.acks++
      if (stores.state.remove(peer, id) === 0) stats.acksUnknown++
      else this.core.acked(id, peer)
    }
  }

  #requests(peer: PeerKey, requests: readonly Uint8Array[]): void {
    const { stats, stores } = this.core
    for (const id of requests) {
      stats.received.requests++
      const m = stores.messages.get(id)
      if (!m) {
        countDrop(stats, 'MVDS_UNKNOWN_ID')
        continue
      }
      if (!stores.peers.shares(m.groupId, peer)) {
        countDrop(stats, 'MVDS_NOT_SHARED')
        continue
      }
      stores.state.remove(peer, id, 'OFFER') // the offer arrived: no need to offer again
      this.core.addState(m.groupId, id, peer, 'MESSAGE')
    }
  }

  #offers(peer: PeerKey, offers: readonly Uint8Array[]): void {
    const { stats, stores } = this.core
    for (const id of offers) {
      stats.received.offers++
      if (!stores.messages.has(id)) this.core.addState(undefined, id, peer, 'REQUEST')
    }
  }

  #message(peer: PeerKey, m: MvdsMessage): void {
    const { core } = this
    const { stats, stores, o } = core
    stats.received.messages++
    const id = messageId(m)
    const hex = bytesToHex(id)
    stores.state.remove(peer, id) // the sender holds it: nothing to offer, request or send it
    const relayType = o.mode === 'batch' ? 'MESSAGE' : 'OFFER'
    const others = stores.peers.peers(m.groupId).filter((p) => p !== peer)
    if (m.metadata?.ephemeral) {
      if (this.#seenEphemeral.has(hex)) return void stats.duplicates++
      if (this.#seenEphemeral.size >= EPHEMERAL_SEEN) this.#seenEphemeral.delete(this.#seenEphemeral.values().next().value!)
      this.#seenEphemeral.add(hex)
      for (const p of others) {
        const box = core.outbox(p)
        if (box.messages.length < o.maxPendingAcks) box.messages.push(m)
        else countDrop(stats, 'MVDS_OUTBOX_FULL')
      }
      this.deliverEphemeral(m, peer)
      return
    }
    if (stores.messages.has(id)) {
      stats.duplicates++
      // The Go reference stores and relays every copy again, adding duplicate state.
      if (!o.dedupe) for (const p of others) core.addState(m.groupId, id, p, relayType)
    } else {
      if (stores.messages.size >= o.maxMessages) return countDrop(stats, 'MVDS_STORE_FULL') // no ACK: the sender keeps it
      stores.messages.add(id, m)
      for (const p of others) {
        stores.state.remove(p, id, 'REQUEST') // asked others for it (a missing parent, an offer)
        core.addState(m.groupId, id, p, relayType)
      }
      const { deliver, missing } = core.dag.add(id, m.groupId, m.metadata?.parents ?? [])
      for (const parent of missing) core.addState(m.groupId, parent, peer, 'REQUEST')
      core.deliver(deliver, peer)
    }
    this.#ack(peer, id, hex)
  }

  #ack(peer: PeerKey, id: Uint8Array, hex: string): void {
    const { pendingAcks, o, stats } = this.core
    let acks = pendingAcks.get(peer)
    if (!acks) pendingAcks.set(peer, (acks = new Map()))
    if (acks.has(hex)) return
    if (acks.size >= o.maxPendingAcks) return countDrop(stats, 'MVDS_ACKS_FULL')
    acks.set(hex, id)
  }
}
