// A medium and its faces: `link` (addressable, one transmission per destination) and `broadcast`
// (one transmission that every member hears, each with its own loss and latency draw). On a LoRa
// medium a frame occupies the channel for its airtime: overlapping transmissions collide, or, with
// collisions off, wait until the channel is free.
import { checkFrame, FaceError, type Face, type PeerId, type Random } from '@tinyssb/core'
import { airtimeMs, drawLatencyMs } from './latency.js'
import type { MediumSpec } from './scenario.js'
import type { DropReason } from './trace.js'
import { stream, ticksOf, type SimNode, type World } from './world.js'

const RESOLVED: Promise<void> = Promise.resolve()

interface Transmission {
  readonly end: number
  collided: boolean
}

/** A simulated face: the PeerId of a frame is the sending node's name. */
export interface SimFace extends Face {
  readonly node: string
  /** Hands a frame to the subscribers (called by the medium). */
  deliver(frame: Uint8Array, from: string): void
}

/** One medium of a run. */
export class Medium {
  readonly spec: MediumSpec
  readonly #world: World
  readonly #faces = new Map<string, SimFace>()
  readonly #streams = new Map<string, Random>()
  readonly #peers = new Map<string, readonly string[]>()
  readonly #airtime: boolean
  #onAir: Transmission[] = []
  #busyUntil = 0

  constructor(spec: MediumSpec, world: World) {
    this.spec = spec
    this.#world = world
    this.#airtime = spec.latency.kind === 'lora'
    for (const n of spec.nodes) {
      this.#faces.set(n, this.#face(n))
      this.#streams.set(n, stream(world.seed, `medium:${spec.name}:${n}`))
      this.#peers.set(n, spec.nodes.filter((x) => x !== n))
    }
  }

  /** The face of node `name` on this medium. */
  face(name: string): SimFace {
    const f = this.#faces.get(name)
    if (!f) throw new RangeError(`node ${name} is not on medium ${this.spec.name}`)
    return f
  }

  /** The other members, as PeerIds. */
  peersOf(name: string): readonly string[] {
    return this.#peers.get(name) ?? []
  }

  #face(node: string): SimFace {
    const medium = this
    const spec = this.spec
    const handlers = new Set<(frame: Uint8Array, from: PeerId) => void>()
    const name = `sim:${spec.name}`
    let closed = false
    return {
      name,
      node,
      mtu: spec.mtu,
      addressable: spec.type === 'link',
      send(frame: Uint8Array, to?: PeerId): Promise<void> {
        // not async: a run sends millions of frames, and a settled promise is all a caller needs
        try {
          if (closed) throw new FaceError('FACE_CLOSED', `face "${name}" of ${node} is closed`)
          try {
            checkFrame(name, spec.mtu, frame)
          } catch (err) {
            if (frame instanceof Uint8Array && frame.length > spec.mtu) medium.#drop(node, to ?? null, frame.length, null, 'MTU')
            throw err
          }
          if (to !== undefined && (to === node || !medium.#faces.has(to))) {
            throw new FaceError('FACE_PEER', `face "${name}" of ${node}: no peer ${JSON.stringify(to)} on this medium`)
          }
          medium.#transmit(node, frame.slice(), to)
          return RESOLVED
        } catch (err) {
          return Promise.reject(err)
        }
      },
      onFrame(handler) {
        handlers.add(handler)
        return () => void handlers.delete(handler)
      },
      async close() {
        closed = true
        handlers.clear()
      },
      deliver(frame, from) {
        for (const h of handlers) h(frame, from)
      },
    }
  }

  #drop(from: string | null, to: string | null, bytes: number, tag: string | null, reason: DropReason): void {
    const w = this.#world
    w.recorder.drop(w.engine.now, from, to, this.spec.name, bytes, tag, reason)
  }

  #transmit(from: string, frame: Uint8Array, to: PeerId | undefined): void {
    const w = this.#world
    const sender = w.nodes.get(from)!
    const now = w.engine.now
    w.engine.activity++
    const tag = w.classify(frame)
    if (!sender.availability.online(ticksOf(w, now))) return this.#drop(from, to ?? null, frame.length, tag, 'OFFLINE')
    if (this.spec.type === 'link') {
      for (const r of to !== undefined ? [to] : this.peersOf(from)) this.#send(sender, [r], r, frame, tag)
    } else {
      this.#send(sender, this.peersOf(from), null, frame, tag)
    }
  }

  /** One transmission on air, heard by `receivers`. */
  #send(sender: SimNode, receivers: readonly string[], to: string | null, frame: Uint8Array, tag: string): void {
    const w = this.#world
    const bytes = frame.length
    let start = w.engine.now
    let tx: Transmission | undefined
    const air = this.#airtime ? airtimeMs(this.spec.latency, bytes)! : 0
    if (this.#airtime && this.spec.type === 'broadcast') {
      if (!this.spec.collisions) start = Math.max(start, this.#busyUntil)
      tx = { end: start + air, collided: false }
      this.#busyUntil = tx.end
      this.#onAir = this.#onAir.filter((o) => o.end > start)
      if (this.spec.collisions) {
        for (const o of this.#onAir) o.collided = tx.collided = true
      }
      this.#onAir.push(tx)
    }
    w.recorder.tx(w.engine.now, sender.name, to, this.spec.name, bytes, tag)
    if (sender.spec.sendReliability < 1 && sender.sendRandom() >= sender.spec.sendReliability) {
      return this.#drop(sender.name, to, bytes, tag, 'SEND_LOSS')
    }
    const { loss, duplicate, reorder } = this.spec
    for (const r of receivers) {
      const random = this.#streams.get(r)!
      if (loss > 0 && random() < loss) {
        this.#drop(sender.name, r, bytes, tag, 'LOSS')
        continue
      }
      const copies = duplicate > 0 && random() < duplicate ? 2 : 1
      for (let c = 0; c < copies; c++) {
        let delay = tx ? air : drawLatencyMs(this.spec.latency, bytes, random, w.tickMs)
        if (reorder > 0 && random() < reorder) delay += drawLatencyMs(this.spec.latency, bytes, random, w.tickMs)
        const receiver = w.nodes.get(r)!
        w.engine.net(start + delay, receiver.index, () => this.#arrive(sender.name, receiver, frame, tag, tx))
      }
    }
  }

  #arrive(from: string, r: SimNode, frame: Uint8Array, tag: string, tx: Transmission | undefined): void {
    const w = this.#world
    const bytes = frame.length
    if (tx?.collided) return this.#drop(from, r.name, bytes, tag, 'COLLISION')
    if (!r.availability.online(ticksOf(w, w.engine.now))) return this.#drop(from, r.name, bytes, tag, 'OFFLINE')
    if (r.spec.receiveReliability < 1 && r.recvRandom() >= r.spec.receiveReliability) {
      return this.#drop(from, r.name, bytes, tag, 'RECEIVE_LOSS')
    }
    w.recorder.rx(w.engine.now, from, r.name, this.spec.name, bytes, tag)
    // one copy per transmission (made at send), shared by its receivers: protocols must not modify
    // a received frame (none of ours does)
    this.#faces.get(r.name)!.deliver(frame, from)
  }
}
