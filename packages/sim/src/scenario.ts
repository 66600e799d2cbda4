// The scenario format (a public contract, see README "Scenario format"), as validated and filled
// with defaults by `parseScenario`. Times are in ticks unless a name ends in `_ms`.

/** When a node is online. Offline, a node neither sends nor receives; its timers keep running. */
export type Availability =
  | { readonly kind: 'always' }
  /** Online during each tick with probability `p`, independently. */
  | { readonly kind: 'bernoulli'; readonly p: number }
  /** Online while (tick − phase) mod period < on. */
  | { readonly kind: 'periodic'; readonly period: number; readonly on: number; readonly phase: number }
  /** Online in each [from, to) (ticks, may be fractional). */
  | { readonly kind: 'windows'; readonly windows: readonly (readonly [number, number])[] }
  /** Exponential on and off periods with these means (ticks); starts on with probability mean_on/(mean_on+mean_off). */
  | { readonly kind: 'sessions'; readonly meanOn: number; readonly meanOff: number }

/** How long a frame takes from sender to receiver. */
export type Latency =
  | { readonly kind: 'constant'; readonly ticks: number }
  /** Integers min..max inclusive when both are integers (the PoC's 1..3 ticks), else uniform in [min, max). */
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  /** Normal, clipped at 0. */
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  /** LoRa time on air of the frame (ms, Semtech's formula); the frame occupies the channel that long. */
  | { readonly kind: 'lora'; readonly sf: number; readonly bwHz: number; readonly cr: number }

/**
 * Pacing of every face on a medium: the real pacedFace of @tinyssb/pacing. A preset takes the
 * gap and jitter of the faces ('lora': 1 s + up to 50 ms, 'kiss': 0.5 s + up to 50 ms); explicit
 * values override it.
 */
export interface Pacing {
  readonly preset: 'lora' | 'kiss' | undefined
  readonly minGapMs: number | undefined
  readonly jitterMs: number | undefined
  /** Duty-cycle budget: the fraction of airtime a face may use (per hour), or undefined. */
  readonly dutyCycle: number | undefined
  readonly queueMax: number | undefined
}

export interface NodeSpec {
  readonly name: string
  readonly availability: Availability
  /** Probability that a frame reaching this node is received (the PoC's per-node reliability). */
  readonly receiveReliability: number
  /** Probability that a frame this node transmits reaches anyone (the Go simulator's loss at the sender). */
  readonly sendReliability: number
}

export interface MediumSpec {
  readonly name: string
  /** `link`: addressable, a send without destination goes to each other member; `broadcast`: everyone hears each frame. */
  readonly type: 'link' | 'broadcast'
  readonly nodes: readonly string[]
  readonly latency: Latency
  /** Per frame and receiver. */
  readonly loss: number
  /** Probability that a delivery is duplicated (a second copy with its own latency). */
  readonly duplicate: number
  /** Probability that a delivery is held back by one more latency draw (so later frames overtake it). */
  readonly reorder: number
  readonly mtu: number
  /** Overlapping transmissions on a broadcast medium with airtime collide (both lost); false: they queue. */
  readonly collisions: boolean
  readonly pacing: Pacing | undefined
}

export interface AppendSpec {
  readonly node: string
  /** Tick of the first append. */
  readonly at: number
  readonly count: number
  /** Ticks between appends (0: all at `at`). */
  readonly every: number
  /**
   * Content length of each item in bytes, or undefined for the adapter's default (tinySSB: a plain
   * entry of the label "A#3"). tinySSB appends a chain20 entry with sidechain blobs above 48 bytes.
   */
  readonly bytes: number | undefined
}

/** A validated scenario with every default filled in. */
export interface Scenario {
  readonly name: string
  readonly description: string
  readonly protocol: string
  /** Options for the protocol adapter, checked by the adapter. */
  readonly protocolOptions: Readonly<Record<string, unknown>>
  readonly tickMs: number
  readonly ticks: number
  readonly seed: number
  /**
   * 'converged': stop as soon as every node holds what it should; 'quiet': once converged and every
   * node is quiet (nothing left to retransmit, for protocols whose nodes say so); 'end': run all ticks.
   */
  readonly stop: 'converged' | 'quiet' | 'end'
  /** Start of the measured window (ticks): catch-up time and link efficiency are counted from here. */
  readonly measureFrom: number
  readonly nodes: readonly NodeSpec[]
  readonly media: readonly MediumSpec[]
  readonly appends: readonly AppendSpec[]
  /** For each node, whose items it should hold (never itself). */
  readonly replicate: Readonly<Record<string, readonly string[]>>
}
