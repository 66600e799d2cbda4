// What one node sends one peer in one epoch, and how it is cut into datagrams: one Payload per
// peer per epoch (2/MVDS "Flow"), split when it exceeds the face's MTU into payloads that each
// fit, acks, offers and requests first, then whole messages (a message is never split).
import { encodeMessage, encodePayload, recordBytes, type MvdsLimits } from './codec.js'
import type { MvdsMessage, MvdsPayload, WireNumbering } from './types.js'

/** The records due to one peer this epoch. */
export class Outbox {
  readonly acks: Uint8Array[] = []
  readonly offers: Uint8Array[] = []
  readonly requests: Uint8Array[] = []
  readonly messages: MvdsMessage[] = []

  get empty(): boolean {
    return this.acks.length + this.offers.length + this.requests.length + this.messages.length === 0
  }
}

/** The frames of one outbox, and the messages too large for any frame. */
export interface SplitResult {
  readonly frames: Uint8Array[]
  /** Payloads in the same order as frames (for counters). */
  readonly payloads: MvdsPayload[]
  readonly tooLarge: number
}

/**
 * Cuts an outbox into encoded payloads of at most `mtu` bytes and at most `limits.maxRecords` records.
 */
export function splitOutbox(box: Outbox, mtu: number, numbering: WireNumbering, limits: MvdsLimits): SplitResult {
  const frames: Uint8Array[] = []
  const payloads: MvdsPayload[] = []
  let tooLarge = 0
  let cur = { acks: [] as Uint8Array[], offers: [] as Uint8Array[], requests: [] as Uint8Array[], messages: [] as MvdsMessage[] }
  let size = 0
  let count = 0
  const maxBytes = Math.min(mtu, limits.maxPayloadBytes)
  const emit = (): void => {
    if (count === 0) return
    frames.push(encodePayload(cur, { numbering, limits: { ...limits, maxPayloadBytes: maxBytes } }))
    payloads.push(cur)
    cur = { acks: [], offers: [], requests: [], messages: [] }
    size = 0
    count = 0
  }
  const place = (cost: number): void => {
    if (size + cost > maxBytes || count >= limits.maxRecords) emit()
    size += cost
    count++
  }
  const idCost = recordBytes(32, numbering)
  for (const id of box.acks) (place(idCost), cur.acks.push(id))
  for (const id of box.offers) (place(idCost), cur.offers.push(id))
  for (const id of box.requests) (place(idCost), cur.requests.push(id))
  for (const m of box.messages) {
    const cost = recordBytes(encodeMessage(m, { numbering, limits }).length, numbering)
    if (cost > maxBytes) {
      tooLarge++
      continue
    }
    place(cost)
    cur.messages.push(m)
  }
  emit()
  return { frames, payloads, tooLarge }
}
