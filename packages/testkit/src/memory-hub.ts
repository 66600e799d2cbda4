import { checkFrame, mulberry32, systemClock, type Clock, type Face, type PeerId } from '@tinyssb/core'
import { FaceError } from './errors.js'

/** Default largest frame: the same as the UDP faces. */
export const MEMORY_MTU_BYTES = 1400
/** How long a frame picked for reordering waits for a later frame to overtake it. */
export const REORDER_HOLD_MS = 20

/** How a {@link memoryHub} medium misbehaves. All probabilities are per frame and receiver. */
export interface MemoryHubOptions {
  /** Seed of the PRNG that decides loss, duplication, reordering and delay. Default 1. */
  readonly seed?: number
  /** Probability (0..1) that a frame does not reach a receiver. Default 0. */
  readonly loss?: number
  /** Probability (0..1) that a receiver gets a frame twice. Default 0. */
  readonly duplicate?: number
  /** Probability (0..1) that a frame is held back until the receiver's next frame has passed it. Default 0. */
  readonly reorder?: number
  /** Delivery delay, uniform in [min, max] ms. Default [0, 0] (still asynchronous). */
  readonly delayMs?: readonly [number, number]
  /** Timers for delivery; default the real ones. With a fake clock nothing arrives until it advances. */
  readonly clock?: Clock
  /** Largest frame send() takes. Default {@link MEMORY_MTU_BYTES}. */
  readonly mtu?: number
  /**
   * The group of a face name, offered as every face's `peerGroup` (Face.peerGroup), e.g.
   * `(name) => name.split('#')[0]` to play one host ('evil') with many ports ('evil#1', 'evil#2', …).
   * Default: none (every peer is a group of its own).
   */
  readonly peerGroup?: (name: string) => string
}

/** Counters of a hub, over all its faces. */
export interface MemoryHubStats {
  /** Frames accepted by send(). */
  sent: number
  /** Frames handed to a receiving face (duplicates count twice). */
  delivered: number
  /** Frame copies lost on the way to one receiver. */
  lost: number
  /** Extra copies made. */
  duplicated: number
  /** Frames held back so a later one overtook them. */
  reordered: number
  /** onFrame handlers that threw (the error is swallowed, the face goes on). */
  handlerErrors: number
}

/** One broadcast medium in one process. */
export interface MemoryHub {
  /**
   * Joins a new face to the medium. The face is addressable: `send(frame, to)` reaches only the
   * face named `to` (still subject to loss, duplication, reordering and delay).
   * @param name the face's name, and the `from` (PeerId) its frames arrive with; default 'mem:<n>'.
   * @throws TypeError when the name is taken or the hub is closed.
   */
  face(name?: string): Face
  readonly stats: MemoryHubStats
  /** Closes every face and cancels frames still on the way. */
  close(): Promise<void>
}

type Handler = (frame: Uint8Array, from: string) => void

interface Member {
  readonly face: Face
  readonly handlers: Set<Handler>
  closed: boolean
  held: { frame: Uint8Array; from: string; timer: unknown } | undefined
}

function probability(name: string, value: number | undefined): number {
  const p = value ?? 0
  if (!(p >= 0 && p <= 1)) throw new RangeError(`memoryHub: "${name}" expected 0..1, got ${value}`)
  return p
}

/**
 * The system clock, but with timers that keep the process alive: a frame in flight on a hub holds
 * the event loop like a datagram in a socket buffer does (the system clock unrefs its timers, so
 * a script awaiting a delivery would otherwise end with "unsettled top-level await").
 */
const inFlightClock: Clock = {
  ...systemClock,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * An in-memory broadcast medium: a frame sent on one face reaches every *other* face of the hub,
 * always asynchronously, subject to seeded loss, duplication, reordering and delay. `from` is the
 * sending face's name; `send(frame, to)` reaches only the face named `to` (FaceError FACE_PEER
 * when no other open face has that name).
 * The same seed and the same sequence of calls give the same deliveries.
 * @example
 * const hub = memoryHub({ seed: 7, loss: 0.1 })
 * const a = hub.face('a'), b = hub.face('b')
 * b.onFrame((frame, from) => console.log(from, frame.length)) // 'a' 120
 * await a.send(new Uint8Array(120))
 */
export function memoryHub(options: MemoryHubOptions = {}): MemoryHub {
  const rand = mulberry32(options.seed ?? 1)
  const loss = probability('loss', options.loss)
  const duplicate = probability('duplicate', options.duplicate)
  const reorder = probability('reorder', options.reorder)
  const [minDelay, maxDelay] = options.delayMs ?? [0, 0]
  if (!(minDelay >= 0 && maxDelay >= minDelay)) {
    throw new RangeError(`memoryHub: "delayMs" expected [min, max] with 0 <= min <= max, got [${minDelay}, ${maxDelay}]`)
  }
  const clock = options.clock ?? inFlightClock
  const mtu = options.mtu ?? MEMORY_MTU_BYTES
  const peerGroup = options.peerGroup
  const members = new Map<string, Member>()
  const timers = new Set<unknown>()
  const stats: MemoryHubStats = { sent: 0, delivered: 0, lost: 0, duplicated: 0, reordered: 0, handlerErrors: 0 }
  let hubClosed = false
  let count = 0

  const schedule = (fn: () => void, ms: number): unknown => {
    const handle = clock.setTimeout(() => {
      timers.delete(handle)
      fn()
    }, ms)
    timers.add(handle)
    return handle
  }
  const cancel = (handle: unknown): void => {
    timers.delete(handle)
    clock.clearTimeout(handle)
  }

  const dispatch = (to: Member, frame: Uint8Array, from: string): void => {
    stats.delivered++
    for (const handler of [...to.handlers]) {
      try {
        handler(frame.slice(), from)
      } catch {
        stats.handlerErrors++
      }
    }
  }

  const release = (to: Member): void => {
    const held = to.held
    if (held === undefined) return
    to.held = undefined
    cancel(held.timer)
    dispatch(to, held.frame, held.from)
  }

  const arrive = (to: Member, frame: Uint8Array, from: string): void => {
    if (to.closed) return
    if (reorder > 0 && to.held === undefined && rand() < reorder) {
      stats.reordered++
      to.held = { frame, from, timer: schedule(() => release(to), REORDER_HOLD_MS) }
      return
    }
    dispatch(to, frame, from)
    release(to) // a held frame goes right after the one that overtook it
  }

  const delay = (): number => (maxDelay > minDelay ? minDelay + rand() * (maxDelay - minDelay) : minDelay)

  const face = (name = `mem:${count}`): Face => {
    if (hubClosed) throw new TypeError('memoryHub: the hub is closed')
    if (members.has(name)) throw new TypeError(`memoryHub: a face named "${name}" exists already`)
    count++
    const self: Member = {
      handlers: new Set(),
      closed: false,
      held: undefined,
      face: {
        name,
        mtu,
        addressable: true,
        ...(peerGroup ? { peerGroup: (peer: PeerId) => peerGroup(peer) } : {}),
        send(frame: Uint8Array, to?: PeerId) {
          if (self.closed) return Promise.reject(new FaceError('FACE_CLOSED', `face "${name}" is closed`))
          try {
            checkFrame(name, mtu, frame)
          } catch (err) {
            return Promise.reject(err)
          }
          const target = to === undefined ? undefined : members.get(to)
          if (to !== undefined && (target === undefined || target === self)) {
            return Promise.reject(new FaceError('FACE_PEER', `face "${name}": no other face named ${JSON.stringify(to)} on this hub`))
          }
          stats.sent++
          const copy = frame.slice() // the caller may reuse its buffer once send() returns
          for (const to of target === undefined ? members.values() : [target]) {
            if (to === self) continue
            if (loss > 0 && rand() < loss) {
              stats.lost++
              continue
            }
            const copies = duplicate > 0 && rand() < duplicate ? 2 : 1
            if (copies === 2) stats.duplicated++
            for (let i = 0; i < copies; i++) schedule(() => arrive(to, copy, name), delay())
          }
          return Promise.resolve()
        },
        onFrame(handler) {
          // A fresh wrapper, so subscribing one function twice gives two independent subscriptions.
          const wrapped: Handler = (frame, from) => handler(frame, from)
          if (!self.closed) self.handlers.add(wrapped)
          return () => void self.handlers.delete(wrapped)
        },
        close() {
          if (!self.closed) {
            self.closed = true
            members.delete(name)
            if (self.held !== undefined) cancel(self.held.timer)
            self.held = undefined
            self.handlers.clear()
          }
          return Promise.resolve()
        },
      },
    }
    members.set(name, self)
    return self.face
  }

  return {
    face,
    stats,
    async close() {
      hubClosed = true
      for (const member of [...members.values()]) await member.face.close()
      for (const handle of [...timers]) cancel(handle)
    },
  }
}

/** Two faces joined by a {@link memoryHub}. */
export interface MemoryLink {
  readonly a: Face
  readonly b: Face
  readonly hub: MemoryHub
}

/**
 * A two-party in-memory link: faces named 'a' and 'b' on a fresh hub.
 * @param options as for {@link memoryHub}.
 */
export function memoryLink(options?: MemoryHubOptions): MemoryLink {
  const hub = memoryHub(options)
  return { a: hub.face('a'), b: hub.face('b'), hub }
}
