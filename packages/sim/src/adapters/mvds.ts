// The MVDS adapter: each simulated node is the real node of @tinyssb/mvds (createMvdsNode) on the
// simulator's faces and virtual clock, in memory. Every node shares one group with every peer of
// every medium it is on (MVDS's sharing policy; relaying follows from it). An item is the message
// `${origin}#${seq}`; a node holds it once its node delivered it to subscribers.
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
const BACKOFFS: readonly BackoffName[] = ['constant', 'linear', 'exponential', 'status-go', 'bsp']
const enc = new TextEncoder()
const dec = new TextDecoder()

/** `protocol_options` of an MVDS scenario and their checks. */
const OPTIONS: Record<string, (v: unknown) => string | undefined> = {
  mode: (v) => (v === 'batch' || v === 'interactive' ? undefined : "expected 'batch' or 'interactive'"),
  interactive_nodes: (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'expected a list of node names'),
  backoff: (v) => (BACKOFFS.includes(v as BackoffName) ? undefined : `expected one of ${BACKOFFS.join(', ')}`),
  exponential_cap: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? undefined : 'expected an integer ≥ 1'),
  reset_on_contact: (v) => (typeof v === 'boolean' ? undefined : 'expected true or false'),
  dedupe: (v) => (typeof v === 'boolean' ? undefined : 'expected true or false'),
  delivery: (v) => (v === 'eventual' || v === 'consistent' ? undefined : "expected 'eventual' or 'consistent'"),
  epoch_ticks: (v) => (typeof v === 'number' && v > 0 ? undefined : 'expected a number of ticks > 0'),
}

/**
 * The `mvds` protocol. Options (`protocol_options`): `mode` ('batch', default, or 'interactive'),
 * `interactive_nodes` (names of nodes in interactive mode, the others batch), `backoff`
 * (constant, linear (default), exponential, status-go, bsp), `exponential_cap` (epochs, default 64),
 * `reset_on_contact` (default false), `dedupe` (default true; false: the Go reference's duplicate
 * state), `delivery` ('eventual' or 'consistent'), `epoch_ticks` (default 1).
 */
export const mvdsAdapter: ProtocolAdapter = {
  name: 'mvds',
  dataTags: ['message'],
  checkOptions(o) {
    for (const [k, v] of Object.entries(o)) {
      const check = OPTIONS[k]
      if (!check) throw new ScenarioError(`protocol_options.${k}`, `unknown option (expected one of ${Object.keys(OPTIONS).join(', ')})`)
      const problem = check(v)
      if (problem) throw new ScenarioError(`protocol_options.${k}`, `${problem}, got ${JSON.stringify(v)}`)
    }
  },
  createRun({ scenario }) {
    const o = scenario.protocolOptions
    const interactive = new Set((o.interactive_nodes as string[] | undefined) ?? [])
    const name = (o.backoff as BackoffName | undefined) ?? 'linear'
    const backoff: BackoffPolicy = name === 'exponential' ? exponentialBackoff({ cap: (o.exponential_cap as number | undefined) ?? 64 }) : backoffPolicy(name)
    const options = (ctx: NodeContext): Partial<MvdsNodeOptions> => ({
      mode: interactive.has(ctx.name) ? 'interactive' : ((o.mode as SyncMode | undefined) ?? 'batch'),
      backoff,
      resetOnContact: (o.reset_on_contact as boolean | undefined) ?? false,
      dedupe: (o.dedupe as boolean | undefined) ?? true,
      delivery: (o.delivery as 'eventual' | 'consistent' | undefined) ?? 'eventual',
      epochMs: ((o.epoch_ticks as number | undefined) ?? 1) * ctx.tickMs,
    })
    return {
      classify(frame) {
        try {
          const p = decodePayload(frame)
          if (p.messages.length > 0) return 'message'
          if (p.requests.length > 0) return 'request'
          if (p.offers.length > 0) return 'offer'
          return p.acks.length > 0 ? 'ack' : 'other'
        } catch {
          return 'other'
        }
      },
      createNode: (ctx) => mvdsNode(ctx, options(ctx)),
    }
  },
}

function mvdsNode(ctx: NodeContext, options: Partial<MvdsNodeOptions>): ProtocolNode {
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
    const m = /^(.+)#(\d+)$/.exec(dec.decode(message.body))
    if (!m) return
    const [origin, seq] = [m[1]!, Number(m[2])]
    let s = held.get(origin)
    if (!s) held.set(origin, (s = new Set()))
    s.add(seq)
    ctx.held(origin, seq)
  })
  let appended = 0
  let timer: unknown
  const epochMs = options.epochMs ?? ctx.tickMs
  const tick = (): void => {
    node.tick()
    timer = ctx.clock.setTimeout(tick, epochMs)
  }
  return {
    async start() {
      timer = ctx.clock.setTimeout(tick, epochMs)
    },
    async append(seq) {
      if (seq !== appended + 1) throw new RangeError(`${ctx.name}: append ${seq} after ${appended}`)
      node.append(GROUP, enc.encode(`${ctx.name}#${seq}`))
      appended = seq
    },
    holds: (origin, seq) => (origin === ctx.name ? appended >= seq : (held.get(origin)?.has(seq) ?? false)),
    async stop() {
      ctx.clock.clearTimeout(timer)
      await node.close()
    },
  }
}
