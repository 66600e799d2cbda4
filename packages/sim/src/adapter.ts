// The protocol adapter interface: how the simulator runs a real protocol node (tinySSB's
// createNode today, an MVDS node tomorrow) without importing any protocol package itself.
import type { Clock, Face, PeerId, Random } from '@tinyssb/core'
import type { Scenario } from './scenario.js'

/** One of the node's faces, with the peers it reaches (for protocols that keep per-peer state). */
export interface SimLink {
  readonly face: Face
  /** The medium's name. */
  readonly medium: string
  /** 'link': send(frame, peer) reaches that peer alone; 'broadcast': every send reaches all. */
  readonly type: 'link' | 'broadcast'
  /** The other nodes on this medium, as the face names them in `onFrame(…, from)`. */
  readonly peers: readonly PeerId[]
}

/** What a run hands the adapter once, before any node is created. */
export interface RunContext {
  readonly scenario: Scenario
  readonly seed: number
  /** The adapter's own stream (e.g. for keys that should differ per seed). */
  readonly random: Random
}

/** What the simulator hands an adapter to create one node. */
export interface NodeContext {
  readonly name: string
  /** 0-based position in the scenario's node list. */
  readonly index: number
  /** Virtual time; timers and tasks set on it are this node's (`soon()` uses its queueTask). */
  readonly clock: Clock
  /** The node's own stream: other nodes never draw from it. */
  readonly random: Random
  /** Paced where the medium says so; in medium order. */
  readonly faces: readonly Face[]
  readonly links: readonly SimLink[]
  /** The length of a tick in ms (e.g. an MVDS epoch of one tick). */
  readonly tickMs: number
  /** Nodes whose items this node should hold (the scenario's `replicate`). */
  readonly wants: readonly string[]
  /** Nodes that should hold this node's items (for a sharing policy). */
  readonly wantedBy: readonly string[]
  /**
   * Tell the simulator that this node now holds item `seq` (1-based) of `origin`; first holds are
   * what convergence and latency are measured on. Calling it again for the same item is harmless.
   */
  held(origin: string, seq: number): void
  /**
   * Whether the node is online now (its availability). A real device knows when it has
   * connectivity; a protocol may act on coming online (e.g. MVDS's contact beacon).
   */
  online(): boolean
}

/** A running protocol node, as the simulator drives it. */
export interface ProtocolNode {
  /** Starts the node at time 0 (loads state, subscribes to faces, arms timers). */
  start(): Promise<void>
  /**
   * Appends this node's item `seq` (1, 2, …) and spreads it as the protocol does. Must not wait
   * for virtual time to pass (it runs inside one event).
   * @param bytes - the item's content length (the scenario's `bytes`), or undefined for the
   *   adapter's default; an adapter may ignore it.
   */
  append(seq: number, bytes?: number): Promise<void>
  /** Whether the node holds item `seq` of `origin` right now. */
  holds(origin: string, seq: number): boolean
  /**
   * Optional: resolves when the node has finished reacting to what happened so far (its pending
   * promises settled), without waiting for anything scheduled on its clock. The engine calls it
   * after each of the node's events; without it, a few microtask turns are waited.
   */
  settle?(): Promise<void> | void
  /**
   * Optional: true when the node has nothing left that it would retransmit (MVDS: its sync state is
   * empty). Asked after each of the node's events; when every node is quiet the run is quiescent
   * (`quiescence_ticks`, `stop: "quiet"`). Protocols that poll forever (tinySSB) leave it out.
   */
  quiet?(): boolean
  /** Stops timers; called when the run ends. */
  stop(): Promise<void>
}

/** One run's instance of a protocol. */
export interface ProtocolRun {
  createNode(ctx: NodeContext): ProtocolNode | Promise<ProtocolNode>
  /** A short tag for a frame (in the trace and the per-tag counters), e.g. 'entry', 'want'. */
  classify(frame: Uint8Array): string
}

/** A protocol the simulator can run: `scenario.protocol` names it. */
export interface ProtocolAdapter {
  /** The scenario's `protocol` value, e.g. 'tinyssb'. */
  readonly name: string
  /** Tags of frames that carry items (for the link efficiency), e.g. ['entry']. */
  readonly dataTags: readonly string[]
  /**
   * Checks `protocol_options`; throws a ScenarioError (path `protocol_options.<key>`) for a bad one.
   * Without it, any option is refused.
   */
  checkOptions?(options: Readonly<Record<string, unknown>>): void
  createRun(ctx: RunContext): ProtocolRun | Promise<ProtocolRun>
}
