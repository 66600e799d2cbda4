// The MVDS adapters: each simulated node is the real node of @tinyssb/mvds (createMvdsNode) on the
// simulator's faces and virtual clock, in memory. Every node shares one group with every peer of
// every medium it is on (MVDS's sharing policy; relaying follows from it). An item is the message
// `${origin}#${seq}`; a node holds it once its node delivered it to subscribers. A node is quiet
// when its sync state is empty (nothing left to retransmit).
import {
  backoffPolicy,
  createMvdsNode,
  decodePayload,
  exponentialBackoff,
  type BackoffName,
  type BackoffPolicy,
  type MvdsNodeOptions,
  type SyncMode,
} from '@tinyssb/mvds'
import type { NodeContext, ProtocolAdapter, ProtocolNode } from '../adapter.js'
import { ScenarioError } from '../errors.js'

const GROUP = new Uint8Array(32).fill(0x5e) // one group for the whole run
const enc = new TextEncoder()
const dec = new TextDecoder()

/**
 * The contact beacon: a payload that decodes as an empty Payload (field 15, varint 0: an unknown
 * field, skipped by the Go reference and by @tinyssb/mvds under either numbering). Faces carry no
 * empty frames, so this is the smallest payload a peer can "hear". A peer with reset-on-contact
 * makes every record due to the sender due next epoch.
 */
export const CONTACT_BEACON: Uint8Array = Uint8Array.of(0x78, 0x00)

/**
 * The Go reference's schedule before commit d6b27d3 (Nov 2020), which its 2019 simulator and
 * published figures ran with: `SendEpoch += Calc(count, epoch)` with `Calc = epoch + 2·count`,
 * cumulated instead of set. A record goes out in the epoch it is due, so that is 2·epoch + 2·count.
 */
export const linearCumulativeBackoff: BackoffPolicy = (count, epoch) => 2 * epoch + 2 * count

/** Backoff names a scenario may use. */
export const MVDS_BACKOFFS: readonly string[] = ['constant', 'linear', 'exponential', 'status-go', 'bsp', 'linear-cumulative']

const bool = (v: unknown): string | undefined => (typeof v === 'boolean' ? undefined : 'expected true or false')
const names = (v: unknown): string | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'expected a list of node names')

/** `protocol_options` of the MVDS protocols and their checks. */
const OPTIONS: Record<string, (v: unknown) => string | undefined> = {
  mode: (v) => (v === 'batch' || v === 'interactive' ? undefined : "expected 'batch' or 'interactive'"),
  interactive_nodes: names,
  batch_nodes: names,
  backoff: (v) => (MVDS_BACKOFFS.includes(v as string) ? undefined : `expected one of ${MVDS_BACKOFFS.join(', ')}`),
  exponential_cap: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? undefined : 'expected an integer ≥ 1'),
  reset_on_contact: bool,
  contact_beacon: bool,
  dedupe: bool,
  delivery: (v) => (v === 'eventual' || v === 'consistent' ? undefined : "expected 'eventual' or 'consistent'"),
  body_bytes: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 16 && v <= 1024 ? undefined : 'expected an integer 16..1024'),
  epoch_ticks: (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'expected a number of ticks > 0'),
}

/**
 * An MVDS protocol for the simulator. `name` is the scenario's `protocol`; `mode` fixes every
 * node's default mode (then the `mode` option is refused), or leaves it to the `mode` option.
 *
 * Options (`protocol_options`): `mode` ('batch' (default) or 'interactive', only when the protocol
 * name does not say), `interactive_nodes` / `batch_nodes` (nodes in the other mode), `backoff`
 * (constant, linear (default: epoch + 2·count), exponential (doubling), status-go, bsp,
 * linear-cumulative (the 2019 Go reference)), `exponential_cap` (epochs, default 64),
 * `reset_on_contact` (default false), `contact_beacon` (default false: a node coming online sends
 * every peer {@link CONTACT_BEACON}), `dedupe` (default true; false: the Go reference's duplicate
 * state), `delivery` ('eventual' or 'consistent'), `epoch_ticks` (default 1), `body_bytes` (default:
 * the item's label `A#3` alone; e.g. 48 pads it with zero bytes like tinySSB's 48-byte entries).
 */
export function mvdsAdapterFor(name: string, mode?: SyncMode): ProtocolAdapter {
  return {
    name,
    dataTags: ['message'],
    checkOptions(o) {
      for (const [k, v] of Object.entries(o)) {
        const check = k === 'mode' && mode !== undefined ? undefined : OPTIONS[k]
        if (!check) {
          const known = Object.keys(OPTIONS).filter((x) => !(x === 'mode' && mode !== undefined))
          const why = k === 'mode' ? `the protocol ${name} is ${mode} mode (use interactive_nodes or batch_nodes)` : `unknown option (expected one of ${known.join(', ')})`
          throw new ScenarioError(`protocol_options.${k}`, why)
        }
        const problem = check(v)
        if (problem) throw new ScenarioError(`protocol_options.${k}`, `${problem}, got ${JSON.stringify(v)}`)
      }
    },
    createRun({ scenario }) {
      const o = scenario.protocolOptions
      const interactive = new Set((o.interactive_nodes as string[] | undefined) ?? [])
      const batch = new Set((o.batch_nodes as string[] | undefined) ?? [])
      const fallback = mode ?? (o.mode as SyncMode | undefined) ?? 'batch'
      const backoff = policyOf((o.backoff as string | undefined) ?? 'linear', (o.exponential_cap as number | undefined) ?? 64)
      const beacon = (o.contact_beacon as boolean | undefined) ?? false
      const bodyBytes = (o.body_bytes as number | undefined) ?? 0
      const options = (ctx: NodeContext): Partial<MvdsNodeOptions> => ({
        mode: interactive.has(ctx.name) ? 'interactive' : batch.has(ctx.name) ? 'batch' : fallback,
        backoff,
        resetOnContact: (o.reset_on_contact as boolean | undefined) ?? false,
        dedupe: (o.dedupe as boolean | undefined) ?? true,
        delivery: (o.delivery as 'eventual' | 'consistent' | undefined) ?? 'eventual',
        epochMs: ((o.epoch_ticks as number | undefined) ?? 1) * ctx.tickMs,
      })
      return { classify, createNode: (ctx) => mvdsNode(ctx, options(ctx), beacon, bodyBytes) }
    },
  }
}

function policyOf(name: string, cap: number): BackoffPolicy {
  if (name === 'linear-cumulative') return linearCumulativeBackoff
  return name === 'exponential' ? exponentialBackoff({ cap }) : backoffPolicy(name as BackoffName)
}

/** The trace tag of a payload: its most substantial record type, or 'beacon' when it has none. */
function classify(frame: Uint8Array): string {
  try {
    const p = decodePayload(frame)
    if (p.messages.length > 0) return 'message'
    if (p.requests.length > 0) return 'request'
    if (p.offers.length > 0) return 'offer'
    return p.acks.length > 0 ? 'ack' : 'beacon'
  } catch {
    return 'other'
  }
}

/** `mvds`: every node batch, or as the `mode` option says. */
export const mvdsAdapter: ProtocolAdapter = mvdsAdapterFor('mvds')
/** `mvds-batch`: append → MESSAGE → ACK. */
export const mvdsBatchAdapter: ProtocolAdapter = mvdsAdapterFor('mvds-batch', 'batch')
/** `mvds-interactive`: OFFER → REQUEST → MESSAGE → ACK. */
export const mvdsInteractiveAdapter: ProtocolAdapter = mvdsAdapterFor('mvds-interactive', 'interactive')

/** The body of item `label` ("A#3"), zero-padded to `bytes` (0: not padded). */
function body(label: string, bytes: number): Uint8Array {
  const text = enc.encode(label)
  if (bytes <= text.length) return text
  const b = new Uint8Array(bytes)
  b.set(text)
  return b
}

function mvdsNode(ctx: NodeContext, options: Partial<MvdsNodeOptions>, beacon: boolean, bodyBytes: number): ProtocolNode {
  const node = createMvdsNode({
    ...options,
    faces: ctx.faces,
    clock: ctx.clock,
    random: ctx.random,
    autoEpoch: false,
    unixTime: () => BigInt(Math.floor(ctx.clock.now() / 1000)),
  })
  for (const link of ctx.links) for (const peer of link.peers) node.addPeer(GROUP, { face: link.face, id: peer })
  const held = new Map<string, Set<number>>()
  node.subscribe(({ message }) => {
    const end = message.body.indexOf(0)
    const m = /^(.+)#(\d+)$/.exec(dec.decode(end < 0 ? message.body : message.body.subarray(0, end)))
    if (!m) return
    const [origin, seq] = [m[1]!, Number(m[2])]
    let s = held.get(origin)
    if (!s) held.set(origin, (s = new Set()))
    s.add(seq)
    ctx.held(origin, seq)
  })
  let appended = 0
  let timer: unknown
  let wasOnline = true
  const epochMs = options.epochMs ?? ctx.tickMs
  const tick = (): void => {
    // Coming online: tell every peer (a peer with reset-on-contact then sends what it holds back).
    const online = ctx.online()
    if (beacon && online && !wasOnline) {
      for (const link of ctx.links) {
        for (const peer of link.type === 'link' ? link.peers : [undefined]) link.face.send(CONTACT_BEACON, peer).catch(() => undefined)
      }
    }
    wasOnline = online
    node.tick()
    timer = ctx.clock.setTimeout(tick, epochMs)
  }
  return {
    async start() {
      wasOnline = ctx.online()
      timer = ctx.clock.setTimeout(tick, epochMs)
    },
    async append(seq, bytes) {
      if (seq !== appended + 1) throw new RangeError(`${ctx.name}: append ${seq} after ${appended}`)
      node.append(GROUP, body(`${ctx.name}#${seq}`, bytes ?? bodyBytes)) // an append's `bytes` overrides body_bytes
      appended = seq
    },
    holds: (origin, seq) => (origin === ctx.name ? appended >= seq : (held.get(origin)?.has(seq) ?? false)),
    quiet: () => node.stores.state.size === 0,
    async stop() {
      ctx.clock.clearTimeout(timer)
      await node.close()
    },
  }
}
