// parseScenario: the scenario file format (README "Scenario format") checked by hand, field by
// field, with defaults filled in. Every error is one line naming the field.
import { array, fail, join, number, object, optNumber, probability, string, variant, type Obj } from './check.js'
import { ScenarioError } from './errors.js'
import { parseLatency, parseMedium, MEDIUM_FIELDS } from './validate-medium.js'
import type { AppendSpec, Availability, MediumSpec, NodeSpec, Scenario } from './scenario.js'
import { randomGraph } from './topology.js'

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/
const NAME_WHAT = 'a name of 1 to 64 letters, digits, "_", ".", ":" or "-"'
const MAX_NODES = 100_000
const MAX_ITEMS = 1_000_000
const MAX_PAIRS = 50_000_000
const MAX_RELATIONS = 10_000_000
/** Largest `bytes` of an append item (a tinySSB chain20 entry of 64 KiB has 656 blobs). */
export const MAX_ITEM_BYTES = 65_536
const MAX_CONTENT_BYTES = 64 * 1024 * 1024

const TOP = [
  'name', 'description', 'protocol', 'protocol_options', 'tick_ms', 'ticks', 'seed', 'stop', 'measure_from',
  'nodes', 'topology', 'media', 'appends', 'replicate',
] as const

/**
 * Checks a scenario (parsed JSON) and fills in the defaults.
 * @param raw - the parsed JSON of a scenario file.
 * @param name - a name for the scenario when it has none (e.g. the file name).
 * @throws ScenarioError naming the first bad field.
 */
export function parseScenario(raw: unknown, name = 'scenario'): Scenario {
  const o = object(raw, '', TOP)
  const protocol = string(o.protocol, 'protocol', NAME, 'a protocol name such as "tinyssb"')
  const protocolOptions = o.protocol_options === undefined ? {} : object(o.protocol_options, 'protocol_options', Object.keys(o.protocol_options ?? {}))
  const tickMs = optNumber(o, 'tick_ms', '', 1000, { min: 0, above: true, max: 86_400_000 })
  const ticks = number(o.ticks, 'ticks', { min: 0, above: true, max: 1e9 })
  const seed = optNumber(o, 'seed', '', 1, { int: true, min: 0, max: 0xffffffff })
  const stop = o.stop === undefined ? 'converged' : o.stop
  if (stop !== 'converged' && stop !== 'quiet' && stop !== 'end') fail('stop', '"converged", "quiet" or "end"', stop)
  const measureFrom = optNumber(o, 'measure_from', '', 0, { min: 0, max: ticks })

  const nodes = parseNodes(o)
  const media = (o.media === undefined && o.topology !== undefined ? [] : array(o.media, 'media')).map((m, i) =>
    parseMedium(m, join('media', i), nodes.names),
  )
  if (o.topology !== undefined) media.push(...topologyMedia(o.topology, nodes.names, seed, media))
  const mediumNames = new Set<string>()
  media.forEach((m, i) => {
    if (mediumNames.has(m.name)) throw new ScenarioError(join(join('media', i), 'name'), `duplicate medium name ${JSON.stringify(m.name)}`)
    mediumNames.add(m.name)
  })

  const appends = (o.appends === undefined ? [] : array(o.appends, 'appends')).map((a, i) => parseAppend(a, join('appends', i), nodes.names, ticks))
  const items = appends.reduce((n, a) => n + a.count, 0)
  if (items > MAX_ITEMS) fail('appends', `at most ${MAX_ITEMS} items in all`, items)
  const content = appends.reduce((n, a) => n + a.count * (a.bytes ?? 0), 0)
  if (content > MAX_CONTENT_BYTES) fail('appends', `at most ${MAX_CONTENT_BYTES} bytes of item content ("bytes" × "count") in all`, content)
  const replicate = parseReplicate(o.replicate, nodes.list.map((n) => n.name), nodes.names)
  const receivers = new Map<string, number>()
  for (const want of Object.values(replicate)) for (const x of want) receivers.set(x, (receivers.get(x) ?? 0) + 1)
  let pairs = 0
  for (const a of appends) pairs += a.count * (receivers.get(a.node) ?? 0)
  if (pairs > MAX_PAIRS) fail('replicate', `at most ${MAX_PAIRS} (item, receiver) pairs`, pairs)

  return {
    name: o.name === undefined ? name : string(o.name, 'name'),
    description: o.description === undefined ? '' : string(o.description, 'description'),
    protocol,
    protocolOptions,
    tickMs,
    ticks,
    seed,
    stop,
    measureFrom,
    nodes: nodes.list,
    media,
    appends,
    replicate,
  }
}

function parseNodes(o: Obj): { list: NodeSpec[]; names: Set<string> } {
  const list: NodeSpec[] = []
  const names = new Set<string>()
  const rawNodes = o.nodes === undefined && o.topology !== undefined ? [] : array(o.nodes, 'nodes', MAX_NODES)
  rawNodes.forEach((n, i) => {
    const path = join('nodes', i)
    const spec = parseNode(n, path)
    if (names.has(spec.name)) throw new ScenarioError(join(path, 'name'), `duplicate node name ${JSON.stringify(spec.name)}`)
    names.add(spec.name)
    list.push(spec)
  })
  if (o.topology !== undefined) {
    const [, t] = variant(o.topology, 'topology', ['random'])
    const r = object(t, 'topology.random', ['nodes', 'prefix', 'degree', 'seed', ...MEDIUM_FIELDS])
    const count = number(r.nodes, 'topology.random.nodes', { int: true, min: 2, max: MAX_NODES })
    const prefix = r.prefix === undefined ? 'n' : string(r.prefix, 'topology.random.prefix', /^[A-Za-z_][A-Za-z0-9_]{0,31}$/, 'a prefix of letters, digits and "_"')
    for (let i = 0; i < count; i++) {
      const name = `${prefix}${i}`
      if (names.has(name)) continue // declared in "nodes": its settings stay
      if (list.length >= MAX_NODES) fail('topology.random.nodes', `at most ${MAX_NODES} nodes in all`, list.length + 1)
      names.add(name)
      list.push({ name, availability: { kind: 'always' }, receiveReliability: 1, sendReliability: 1 })
    }
  }
  if (list.length === 0) fail('nodes', 'at least one node', rawNodes)
  return { list, names }
}

function topologyMedia(raw: unknown, names: ReadonlySet<string>, seed: number, existing: readonly MediumSpec[]): MediumSpec[] {
  const [, t] = variant(raw, 'topology', ['random'])
  const r = object(t, 'topology.random', ['nodes', 'prefix', 'degree', 'seed', ...MEDIUM_FIELDS])
  const path = 'topology.random'
  const count = number(r.nodes, join(path, 'nodes'), { int: true, min: 2 })
  const prefix = typeof r.prefix === 'string' ? r.prefix : 'n'
  const degree = number(r.degree, join(path, 'degree'), { min: 1, max: count - 1 })
  const topoSeed = optNumber(r, 'seed', path, seed, { int: true, min: 0, max: 0xffffffff })
  const template = parseMedium({ ...pick(r, MEDIUM_FIELDS), type: 'link', nodes: [] }, path, names, false)
  const taken = new Set(existing.map((m) => m.name))
  return randomGraph(count, degree, topoSeed).map(([a, b]) => {
    const name = `${prefix}${a}-${prefix}${b}`
    if (taken.has(name)) throw new ScenarioError(path, `generated link ${JSON.stringify(name)} clashes with a medium of that name`)
    return { ...template, name, nodes: [`${prefix}${a}`, `${prefix}${b}`] }
  })
}

function pick(o: Obj, keys: readonly string[]): Obj {
  const out: Obj = {}
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k]
  return out
}

function parseNode(raw: unknown, path: string): NodeSpec {
  const n = object(raw, path, ['name', 'availability', 'receive_reliability', 'send_reliability'])
  const name = string(n.name, join(path, 'name'), NAME, NAME_WHAT)
  if (name === '*') fail(join(path, 'name'), NAME_WHAT, name)
  return {
    name,
    availability: parseAvailability(n.availability, join(path, 'availability')),
    receiveReliability: probability(n, 'receive_reliability', path, 1),
    sendReliability: probability(n, 'send_reliability', path, 1),
  }
}

/** `"always"` or one of `{bernoulli: p}`, `{periodic: {...}}`, `{windows: [[from, to], …]}`, `{sessions: {...}}`. */
export function parseAvailability(raw: unknown, path: string): Availability {
  if (raw === undefined || raw === 'always') return { kind: 'always' }
  const [kind, v] = variant(raw, path, ['always', 'bernoulli', 'periodic', 'windows', 'sessions'])
  const p = join(path, kind)
  switch (kind) {
    case 'bernoulli':
      return { kind, p: number(v, p, { min: 0, max: 1 }) }
    case 'periodic': {
      const o = object(v, p, ['period', 'on', 'phase'])
      const period = number(o.period, join(p, 'period'), { min: 0, above: true })
      const on = number(o.on, join(p, 'on'), { min: 0, max: period })
      return { kind, period, on, phase: optNumber(o, 'phase', p, 0, { min: 0 }) }
    }
    case 'windows': {
      const windows = array(v, p, 100_000).map((w, i) => {
        const wp = join(p, i)
        const pair = array(w, wp)
        if (pair.length !== 2) fail(wp, 'a pair [from, to]', w)
        const from = number(pair[0], join(wp, 0), { min: 0 })
        const to = number(pair[1], join(wp, 1), { min: from })
        return [from, to] as const
      })
      windows.forEach((w, i) => {
        if (i > 0 && w[0] < windows[i - 1]![1]) fail(join(p, i), `a window starting at or after the previous one's end (${windows[i - 1]![1]})`, w[0])
      })
      return { kind, windows }
    }
    case 'sessions': {
      const o = object(v, p, ['mean_on', 'mean_off'])
      return { kind, meanOn: number(o.mean_on, join(p, 'mean_on'), { min: 0, above: true }), meanOff: number(o.mean_off, join(p, 'mean_off'), { min: 0, above: true }) }
    }
    default:
      return { kind: 'always' }
  }
}

function parseAppend(raw: unknown, path: string, names: ReadonlySet<string>, ticks: number): AppendSpec {
  const a = object(raw, path, ['node', 'at', 'count', 'every', 'bytes'])
  const node = string(a.node, join(path, 'node'))
  if (!names.has(node)) throw new ScenarioError(join(path, 'node'), `unknown node ${JSON.stringify(node)}`)
  const at = number(a.at, join(path, 'at'), { min: 0 })
  const count = optNumber(a, 'count', path, 1, { int: true, min: 1, max: MAX_ITEMS })
  const every = optNumber(a, 'every', path, 0, { min: 0 })
  const bytes = a.bytes === undefined ? undefined : number(a.bytes, join(path, 'bytes'), { int: true, min: 1, max: MAX_ITEM_BYTES })
  const last = at + (count - 1) * every
  if (last >= ticks) throw new ScenarioError(path, `the last append (tick ${last}) is not before the end (ticks ${ticks})`)
  return { node, at, count, every, bytes }
}

/** `{ "B": ["A"], "*": "*" }` → for every node, the other nodes whose items it should hold, in node order. */
function parseReplicate(raw: unknown, order: readonly string[], names: ReadonlySet<string>): Record<string, string[]> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('replicate', 'an object such as {"B": ["A"]} or {"*": "*"}', raw)
  const wants = new Map<string, Set<string> | 'all'>()
  for (const [key, v] of Object.entries(raw)) {
    const path = join('replicate', key)
    if (key !== '*' && !names.has(key)) throw new ScenarioError(path, `unknown node ${JSON.stringify(key)}`)
    let origins: Set<string> | 'all'
    if (v === '*') origins = 'all'
    else {
      origins = new Set()
      for (const [i, x] of array(v, path, MAX_NODES).entries()) {
        const n = string(x, join(path, i), undefined, 'a node name or the string "*" instead of the list')
        if (!names.has(n)) throw new ScenarioError(join(path, i), `unknown node ${JSON.stringify(n)}`)
        origins.add(n)
      }
    }
    for (const target of key === '*' ? order : [key]) {
      const s = wants.get(target)
      if (s === 'all' || origins === 'all') wants.set(target, 'all')
      else if (!s) wants.set(target, new Set(origins))
      else for (const x of origins) s.add(x)
    }
  }
  let relations = 0
  for (const s of wants.values()) relations += s === 'all' ? order.length - 1 : s.size
  if (relations > MAX_RELATIONS) fail('replicate', `at most ${MAX_RELATIONS} (node, origin) relations`, relations)
  const index = new Map(order.map((n, i) => [n, i]))
  const out: Record<string, string[]> = {}
  for (const n of order) {
    const s = wants.get(n)
    if (s === undefined) out[n] = []
    else if (s === 'all') out[n] = order.filter((x) => x !== n)
    else out[n] = [...s].filter((x) => x !== n).sort((a, b) => index.get(a)! - index.get(b)!)
  }
  return out
}

export { parseLatency }
