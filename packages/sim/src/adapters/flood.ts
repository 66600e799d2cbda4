// A reference protocol for the simulator's own checks and as a baseline: every node re-sends every
// item it holds on every face, once per interval, forever (the PoC's "retransmit every tick"). No
// acknowledgements, no state per peer: the most redundant protocol there is.
import { ScenarioError } from '../errors.js'
import type { NodeContext, ProtocolAdapter, ProtocolNode } from '../adapter.js'

const DEFAULTS = { interval_ticks: 1, frame_bytes: 120, forward: true }

/**
 * The `flood` protocol. Options: `interval_ticks` (default 1: every tick, aligned to whole ticks),
 * `frame_bytes` (default 120), `forward` (default true: nodes re-send what they received, not only
 * their own items).
 */
export const floodAdapter: ProtocolAdapter = {
  name: 'flood',
  dataTags: ['item'],
  checkOptions(o) {
    for (const [k, v] of Object.entries(o)) {
      const path = `protocol_options.${k}`
      if (k === 'interval_ticks' && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new ScenarioError(path, `expected a number > 0, got ${String(v)}`)
      else if (k === 'frame_bytes' && !(Number.isInteger(v) && (v as number) >= 80 && (v as number) <= 65_507)) throw new ScenarioError(path, `expected an integer 80..65507, got ${String(v)}`)
      else if (k === 'forward' && typeof v !== 'boolean') throw new ScenarioError(path, `expected true or false, got ${String(v)}`)
      else if (!(k in DEFAULTS)) throw new ScenarioError(path, `unknown option (expected one of ${Object.keys(DEFAULTS).join(', ')})`)
    }
  },
  createRun({ scenario }) {
    const opts = { ...DEFAULTS, ...scenario.protocolOptions } as typeof DEFAULTS
    const enc = new TextEncoder()
    const dec = new TextDecoder()
    const frameOf = (item: string): Uint8Array => {
      const f = new Uint8Array(opts.frame_bytes)
      f.set(enc.encode(item).subarray(0, opts.frame_bytes - 1))
      return f
    }
    const itemOf = (frame: Uint8Array): string => {
      const end = frame.indexOf(0)
      return dec.decode(end < 0 ? frame : frame.subarray(0, end))
    }
    return {
      classify: () => 'item',
      createNode: (ctx) => floodNode(ctx, opts, frameOf, itemOf),
    }
  },
}

function floodNode(
  ctx: NodeContext,
  opts: typeof DEFAULTS,
  frameOf: (item: string) => Uint8Array,
  itemOf: (frame: Uint8Array) => string,
): ProtocolNode {
  const held = new Set<string>()
  const toSend: Uint8Array[] = []
  const intervalMs = opts.interval_ticks * ctx.tickMs
  const unsubscribe: Array<() => void> = []
  let timer: unknown

  const tick = (): void => {
    for (const frame of toSend) for (const face of ctx.faces) face.send(frame).catch(() => undefined)
    timer = ctx.clock.setTimeout(tick, intervalMs)
  }
  const receive = (frame: Uint8Array): void => {
    const item = itemOf(frame)
    if (held.has(item)) return
    const hash = item.lastIndexOf('#')
    const seq = Number(item.slice(hash + 1))
    if (hash <= 0 || !Number.isInteger(seq)) return
    held.add(item)
    if (opts.forward) toSend.push(frameOf(item))
    ctx.held(item.slice(0, hash), seq)
  }
  return {
    async start() {
      for (const face of ctx.faces) unsubscribe.push(face.onFrame(receive))
      // act on whole multiples of the interval, like the PoC's tick loop
      const now = ctx.clock.now()
      timer = ctx.clock.setTimeout(tick, (Math.floor(now / intervalMs) + 1) * intervalMs - now)
    },
    async append(seq) {
      const item = `${ctx.name}#${seq}`
      held.add(item)
      toSend.push(frameOf(item))
    },
    holds: (origin, seq) => held.has(`${origin}#${seq}`),
    async stop() {
      ctx.clock.clearTimeout(timer)
      for (const u of unsubscribe.splice(0)) u()
    },
  }
}
