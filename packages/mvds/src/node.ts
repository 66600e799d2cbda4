// The MVDS node (2/MVDS, 4/MVDS-META) on the Face and Clock seams. Each epoch it sends each peer
// one payload with every due OFFER/REQUEST/MESSAGE record and every pending ACK, then moves each
// sent record's send epoch on by the backoff policy. Received records update the state at once.
import { countDrop, errorCode, newTrafficStats, systemClock, systemRandom, type Face, type TimerHandle } from '@tinyssb/core'
import { hexToBytes } from '@noble/hashes/utils.js'
import { backoffPolicy } from './backoff.js'
import { DEFAULT_LIMITS, checkMessage, encodeMessage, recordBytes, type MvdsLimits } from './codec.js'
import { DagTracker } from './dag.js'
import { MvdsError } from './errors.js'
import { memoryStores } from './memory-store.js'
import { messageId } from './message-id.js'
import * as opt from './node-options.js'
import { Outbox, splitOutbox } from './outbox.js'
import { Receiver } from './receiver.js'
import { parsePeerKey, peerKey, type PeerKey } from './stores.js'
import type { MvdsMessage, RecordType } from './types.js'
import { unixSeconds } from './wall-clock.js'

const zeroCounts = (): opt.RecordCounts => ({ acks: 0, offers: 0, requests: 0, messages: 0 })

/** The shared state of one node, used by its sender side (here) and its receiver side. */
export interface NodeCore {
  readonly o: Required<Pick<opt.MvdsNodeOptions, 'mode' | 'dedupe' | 'maxStatePerPeer' | 'maxState' | 'maxPendingAcks' | 'maxMessages' | 'numbering'>>
  readonly limits: MvdsLimits
  readonly stores: opt.MvdsNode['stores']
  readonly stats: opt.MvdsStats
  readonly dag: DagTracker
  readonly outboxes: Map<PeerKey, Outbox>
  readonly pendingAcks: Map<PeerKey, Map<string, Uint8Array>>
  epoch(): number
  addState(group: Uint8Array | undefined, id: Uint8Array, peer: PeerKey, type: RecordType): void
  outbox(peer: PeerKey): Outbox
  deliver(ids: string[], from: PeerKey): void
  acked(id: Uint8Array, peer: PeerKey): void
  contact(peer: PeerKey): void
}

/**
 * Creates an MVDS node on the given faces. It starts ticking at once (unless `autoEpoch: false`).
 * @throws TypeError for two faces with the same name or bad options.
 * @example
 * const node = createMvdsNode({ faces: [face], mode: 'batch' })
 * node.addPeer(group, { face, id: '127.0.0.1:7001' })
 * node.subscribe(({ message }) => console.log(new TextDecoder().decode(message.body)))
 * node.append(group, new TextEncoder().encode('hello'))
 */
export function createMvdsNode(options: opt.MvdsNodeOptions): opt.MvdsNode {
  const faces = new Map<string, Face>()
  for (const f of options.faces) {
    if (faces.has(f.name)) throw new TypeError(`mvds: two faces are named "${f.name}"`)
    faces.set(f.name, f)
  }
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const epochMs = options.epochMs ?? opt.DEFAULT_EPOCH_MS
  if (!(epochMs > 0)) throw new TypeError(`mvds: "epochMs" expected > 0, got ${epochMs}`)
  const policy = backoffPolicy(options.backoff ?? 'linear')
  const unixTime = options.unixTime ?? unixSeconds
  const stores = options.stores ?? memoryStores()
  const limits: MvdsLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const stats: opt.MvdsStats = {
    ...newTrafficStats(),
    sent: zeroCounts(),
    received: zeroCounts(),
    acksUnknown: 0,
    duplicates: 0,
    handlerErrors: 0,
    epochs: 0,
  }
  const subscribers = new Set<(d: opt.Delivery) => void>()
  const ackHandlers = new Set<(id: Uint8Array, peer: opt.MvdsPeer & { readonly face: string }) => void>()
  const dag = new DagTracker(options.delivery ?? 'eventual')
  for (const [id, m] of stores.messages.entries()) dag.add(id, m.groupId, m.metadata?.parents ?? [])
  let epoch = stores.peers.getEpoch()
  let closed = false
  let timer: TimerHandle | undefined

  const keyOf = (peer: opt.MvdsPeer): PeerKey => {
    const name = typeof peer.face === 'string' ? peer.face : peer.face.name
    if (!faces.has(name)) throw new MvdsError('MVDS_UNKNOWN_PEER', `mvds: the node has no face named "${name}"`)
    return peerKey(name, peer.id)
  }
  const safe = (fn: () => void): void => {
    try {
      fn()
    } catch {
      stats.handlerErrors++
    }
  }

  const core: NodeCore = {
    o: {
      mode: options.mode ?? 'batch',
      dedupe: options.dedupe ?? true,
      maxStatePerPeer: options.maxStatePerPeer ?? opt.DEFAULT_MAX_STATE_PER_PEER,
      maxState: options.maxState ?? opt.DEFAULT_MAX_STATE,
      maxPendingAcks: options.maxPendingAcks ?? opt.DEFAULT_MAX_PENDING_ACKS,
      maxMessages: options.maxMessages ?? opt.DEFAULT_MAX_MESSAGES,
      numbering: options.numbering ?? 'go',
    },
    limits,
    stores,
    stats,
    dag,
    outboxes: new Map(),
    pendingAcks: new Map(),
    epoch: () => epoch,
    addState(group, id, peer, type) {
      const { state } = stores
      let copy = 0
      if (state.get(peer, id, type)) {
        if (core.o.dedupe) return
        while (state.get(peer, id, type, copy)) copy++
      }
      if (state.count(peer) >= core.o.maxStatePerPeer || state.size >= core.o.maxState) return countDrop(stats, 'MVDS_STATE_FULL')
      state.put({ peer, id, type, groupId: group, sendCount: 0, sendEpoch: epoch + 1, copy })
    },
    outbox(peer) {
      let box = core.outboxes.get(peer)
      if (!box) core.outboxes.set(peer, (box = new Outbox()))
      return box
    },
    deliver(ids, from) {
      const sender = parsePeerKey(from)
      for (const hex of ids) {
        const id = hexToBytes(hex)
        const message = stores.messages.get(id)
        if (message) for (const fn of [...subscribers]) safe(() => fn({ id, message, from: sender }))
      }
    },
    acked(id, peer) {
      if (ackHandlers.size === 0) return
      const p = parsePeerKey(peer)
      for (const fn of [...ackHandlers]) safe(() => fn(id, p))
    },
    contact(peer) {
      for (const r of stores.state.records()) {
        if (r.peer === peer && r.sendEpoch > epoch + 1) stores.state.put({ ...r, sendEpoch: epoch + 1 })
      }
    },
  }
  const receiver = new Receiver(core, options.resetOnContact ?? false, (m, from) => {
    for (const fn of [...subscribers]) safe(() => fn({ id: messageId(m), message: m, from: parsePeerKey(from) }))
  })
  const unsubscribe = [...faces.values()].map((face) => face.onFrame((frame, from) => receiver.onFrame(face.name, frame, from)))

  const send = (peer: PeerKey, box: Outbox): void => {
    const { face: name, id } = parsePeerKey(peer)
    const face = faces.get(name)
    if (!face) return countDrop(stats, 'MVDS_UNKNOWN_PEER')
    const { frames, payloads, tooLarge } = splitOutbox(box, face.mtu, core.o.numbering, limits)
    if (tooLarge > 0) countDrop(stats, 'MVDS_MESSAGE_MTU', tooLarge)
    frames.forEach((frame, i) => {
      const p = payloads[i]!
      stats.framesOut++
      stats.bytesOut += frame.length
      stats.sent.acks += p.acks.length
      stats.sent.offers += p.offers.length
      stats.sent.requests += p.requests.length
      stats.sent.messages += p.messages.length
      face.send(frame, id).catch((err: unknown) => countDrop(stats, errorCode(err)))
    })
  }

  const tick = (): void => {
    if (closed) return
    const { state, messages, peers } = stores
    // Epoch e begins: records due by e go out. State made during e-1 (due e) goes now, one tick
    // after it was made, so "send_epoch = epoch + 1" means "in the next epoch".
    epoch++
    stats.epochs++
    peers.setEpoch(epoch)
    for (const r of state.records()) {
      if (r.sendEpoch > epoch) continue
      const box = core.outbox(r.peer)
      if (r.type === 'MESSAGE') {
        if (r.groupId && !peers.shares(r.groupId, r.peer)) continue // as Go: kept, not sent, until shared again
        const m = messages.get(r.id)
        if (!m) {
          state.remove(r.peer, r.id, 'MESSAGE')
          countDrop(stats, 'MVDS_MISSING')
          continue
        }
        box.messages.push(m)
      } else if (r.type === 'OFFER') box.offers.push(r.id)
      else box.requests.push(r.id)
      const sendCount = r.sendCount + 1
      state.put({ ...r, sendCount, sendEpoch: policy(sendCount, epoch, random) })
    }
    for (const [peer, acks] of core.pendingAcks) core.outbox(peer).acks.push(...acks.values())
    core.pendingAcks.clear()
    stores.flush() // state and acked messages are durable before anything goes out
    const boxes = [...core.outboxes]
    core.outboxes.clear()
    for (const [peer, box] of boxes) if (!box.empty) send(peer, box)
  }

  const schedule = (): void => {
    if (closed || options.autoEpoch === false) return
    timer = clock.setTimeout(() => {
      timer = undefined
      tick()
      schedule()
    }, epochMs)
  }
  schedule()

  const minMtu = Math.min(...[...faces.values()].map((f) => f.mtu))
  const check = (): void => {
    if (closed) throw new MvdsError('MVDS_CLOSED', 'mvds: the node is closed')
  }

  return {
    get epoch() {
      return epoch
    },
    stats,
    stores,
    addPeer(group, peer) {
      check()
      stores.peers.add(group, keyOf(peer))
      stores.flush()
    },
    removePeer(group, peer) {
      check()
      stores.peers.remove(group, keyOf(peer))
      stores.flush()
    },
    append(group, body, o = {}) {
      check()
      const ephemeral = o.ephemeral ?? false
      const parents = o.parents ?? (options.dag ? dag.heads(group) : undefined)
      const m: MvdsMessage = {
        groupId: group.slice(),
        timestamp: o.timestamp ?? unixTime(),
        body: body.slice(),
        ...(parents !== undefined || ephemeral ? { metadata: { parents: parents ?? [], ephemeral } } : {}),
      }
      checkMessage(m, limits)
      const size = recordBytes(encodeMessage(m, { numbering: core.o.numbering, limits }).length, core.o.numbering)
      if (size > Math.min(minMtu, limits.maxPayloadBytes)) {
        throw new MvdsError('MVDS_BODY_TOO_LARGE', `mvds: a message of ${size} bytes fits no payload (face mtu ${minMtu})`)
      }
      const id = messageId(m)
      const type = (o.mode ?? core.o.mode) === 'batch' ? 'MESSAGE' : 'OFFER'
      if (ephemeral) {
        for (const peer of stores.peers.peers(group)) core.outbox(peer).messages.push(m)
        return id
      }
      if (stores.messages.add(id, m)) dag.add(id, group, parents ?? [])
      for (const peer of stores.peers.peers(group)) core.addState(group, id, peer, type)
      stores.flush()
      return id
    },
    request(group, id) {
      check()
      for (const peer of stores.peers.peers(group)) core.addState(group, id, peer, 'REQUEST')
      stores.flush()
    },
    subscribe(handler) {
      const fn = (d: opt.Delivery): void => handler(d)
      subscribers.add(fn)
      return () => void subscribers.delete(fn)
    },
    onAck(handler) {
      const fn = (id: Uint8Array, p: opt.MvdsPeer & { readonly face: string }): void => handler(id, p)
      ackHandlers.add(fn)
      return () => void ackHandlers.delete(fn)
    },
    tick,
    contact(peer) {
      check()
      core.contact(keyOf(peer))
    },
    pending(peer) {
      const records = stores.state.records()
      if (peer === undefined) return records
      const key = keyOf(peer)
      return records.filter((r) => r.peer === key)
    },
    has: (id) => stores.messages.has(id),
    get: (id) => stores.messages.get(id),
    async close() {
      if (closed) return
      closed = true
      if (timer !== undefined) clock.clearTimeout(timer)
      for (const u of unsubscribe) u()
      stores.close()
    },
  }
}
