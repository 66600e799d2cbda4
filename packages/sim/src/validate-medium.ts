// Media of a scenario: type, members, latency model, loss, duplication, reordering, MTU,
// collisions and pacing.
import { array, fail, join, number, object, optNumber, probability, string, variant } from './check.js'
import { ScenarioError } from './errors.js'
import type { Latency, MediumSpec, Pacing } from './scenario.js'

/** Fields a medium shares with a generated topology's links. */
export const MEDIUM_FIELDS = ['latency', 'loss', 'duplicate', 'reorder', 'mtu', 'collisions', 'pacing'] as const

/** The largest MTU a medium may have (a UDP datagram). */
export const MAX_MTU = 65_507
/** Default MTU: a UDP face's; 255 on LoRa (the radio's largest payload). */
export const DEFAULT_MTU = 1400
export const LORA_MTU = 255

export function parseMedium(raw: unknown, path: string, names: ReadonlySet<string>, checkNodes = true): MediumSpec {
  const m = object(raw, path, ['name', 'type', ...MEDIUM_FIELDS, 'nodes'])
  const index = /\[(\d+)\]$/.exec(path)?.[1]
  const name = m.name === undefined ? `m${index ?? ''}` : string(m.name, join(path, 'name'))
  const type = m.type
  if (type !== 'link' && type !== 'broadcast') fail(join(path, 'type'), '"link" or "broadcast"', type)
  const nodes = array(m.nodes, join(path, 'nodes')).map((n, i) => string(n, join(join(path, 'nodes'), i)))
  if (checkNodes) {
    const seen = new Set<string>()
    nodes.forEach((n, i) => {
      const p = join(join(path, 'nodes'), i)
      if (!names.has(n)) throw new ScenarioError(p, `unknown node ${JSON.stringify(n)}`)
      if (seen.has(n)) throw new ScenarioError(p, `node ${JSON.stringify(n)} listed twice`)
      seen.add(n)
    })
    if (nodes.length < 2) fail(join(path, 'nodes'), 'at least 2 nodes', m.nodes)
  }
  const latency = parseLatency(m.latency, join(path, 'latency'))
  const pacing = parsePacing(m.pacing, join(path, 'pacing'))
  if (pacing?.dutyCycle !== undefined && latency.kind !== 'lora') {
    throw new ScenarioError(join(join(path, 'pacing'), 'duty_cycle'), 'needs a "lora" latency on the medium (the airtime it budgets)')
  }
  return {
    name,
    type,
    nodes,
    latency,
    loss: probability(m, 'loss', path, 0),
    duplicate: probability(m, 'duplicate', path, 0),
    reorder: probability(m, 'reorder', path, 0),
    mtu: optNumber(m, 'mtu', path, latency.kind === 'lora' ? LORA_MTU : DEFAULT_MTU, { int: true, min: 1, max: MAX_MTU }),
    collisions: m.collisions === undefined ? true : bool(m.collisions, join(path, 'collisions')),
    pacing,
  }
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v)
  return v
}

/** `{constant: n}`, `{uniform: [min, max]}`, `{normal: {mean, sd}}` (ticks) or `{lora: {sf, bw_khz, cr}}`. Default constant 1. */
export function parseLatency(raw: unknown, path: string): Latency {
  if (raw === undefined) return { kind: 'constant', ticks: 1 }
  const [kind, v] = variant(raw, path, ['constant', 'uniform', 'normal', 'lora'])
  const p = join(path, kind)
  switch (kind) {
    case 'constant':
      return { kind, ticks: number(v, p, { min: 0 }) }
    case 'uniform': {
      const pair = array(v, p)
      if (pair.length !== 2) fail(p, 'a pair [min, max]', v)
      const min = number(pair[0], join(p, 0), { min: 0 })
      return { kind, min, max: number(pair[1], join(p, 1), { min }) }
    }
    case 'normal': {
      const o = object(v, p, ['mean', 'sd'])
      return { kind, mean: number(o.mean, join(p, 'mean'), { min: 0 }), sd: number(o.sd, join(p, 'sd'), { min: 0 }) }
    }
    default: {
      const o = object(v, p, ['sf', 'bw_khz', 'cr'])
      return {
        kind: 'lora',
        sf: optNumber(o, 'sf', p, 7, { int: true, min: 6, max: 12 }),
        bwHz: optNumber(o, 'bw_khz', p, 250, { min: 7.8, max: 1625 }) * 1000,
        cr: optNumber(o, 'cr', p, 5, { int: true, min: 5, max: 8 }),
      }
    }
  }
}

/** `"lora"`, `"kiss"` or `{preset?, min_gap_ms?, jitter_ms?, duty_cycle?, queue_max?}`. */
function parsePacing(raw: unknown, path: string): Pacing | undefined {
  if (raw === undefined) return undefined
  const o = typeof raw === 'string' ? { preset: raw } : object(raw, path, ['preset', 'min_gap_ms', 'jitter_ms', 'duty_cycle', 'queue_max'])
  const preset = o.preset
  if (preset !== undefined && preset !== 'lora' && preset !== 'kiss') fail(typeof raw === 'string' ? path : join(path, 'preset'), '"lora" or "kiss"', preset)
  const opt = (k: string, rule: Parameters<typeof number>[2]): number | undefined => (o[k] === undefined ? undefined : number(o[k], join(path, k), rule))
  const minGapMs = opt('min_gap_ms', { min: 0 })
  if (preset === undefined && minGapMs === undefined) fail(join(path, 'min_gap_ms'), 'a number ≥ 0 (or a "preset")', undefined)
  return {
    preset,
    minGapMs,
    jitterMs: opt('jitter_ms', { min: 0 }),
    dutyCycle: opt('duty_cycle', { min: 0, above: true, max: 1 }),
    queueMax: opt('queue_max', { int: true, min: 1, max: 100_000 }),
  }
}
