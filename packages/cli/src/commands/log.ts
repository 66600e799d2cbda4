// `tinyssb log append | dump | verify`: one entry at a time, every entry of a log, every log checked.
import { fromHex, toHex, FID_BYTES } from '@tinyssb/packet'
import { parse } from '../args.js'
import { CliError } from '../errors.js'
import { appendOwn, entryContent, type EntryContent } from '../feed.js'
import type { Io } from '../io.js'
import { openNode, repairWarning, type OpenedNode, type SigAlg } from '../node-dir.js'
import { showBytes, stripZeros } from '../text.js'

export const LOG_USAGE = [
  'tinyssb log append [--data DIR] [--node NAME] [--chain] (--hex HEX | TEXT)',
  'tinyssb log dump [--data DIR] [--node NAME] [--feed FIDHEX] [--json]',
  'tinyssb log verify [--data DIR] [--node NAME]',
]

const COMMON = {
  data: { type: 'string', default: './data' },
  node: { type: 'string', default: 'nodeA' },
  hmac: { type: 'boolean' },
} as const

function alg(v: { hmac?: boolean | undefined }): SigAlg {
  return v.hmac ? 'hmac' : 'ed25519'
}

function hexArg(hex: string, what: string): Uint8Array {
  try {
    return fromHex(hex)
  } catch (err) {
    throw new CliError('CLI_USAGE', `${what}: ${(err as Error).message}`)
  }
}

async function withNode<T>(
  v: { data: string; node: string; hmac?: boolean | undefined },
  io: Io,
  mode: 'read' | 'write',
  f: (n: OpenedNode) => Promise<T>,
) {
  // readers never write (no repair on open), so they are safe beside a running prodcons
  const readOnly = mode === 'read'
  const node = await openNode(v.data, v.node, { alg: alg(v), durable: true, onRepair: repairWarning(io), readOnly })
  try {
    return await f(node)
  } finally {
    await node.close()
  }
}

async function append(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...COMMON, chain: { type: 'boolean' }, hex: { type: 'string' } }, true)
  if ((values.hex === undefined) === (positionals.length === 0)) {
    throw new CliError('CLI_USAGE', 'give the content either as TEXT or with --hex HEX (exactly one)')
  }
  const content = values.hex !== undefined ? hexArg(values.hex, '--hex') : new TextEncoder().encode(positionals.join(' '))
  if (!values.chain && content.length > 48) {
    throw new CliError('CLI_USAGE', `a plain entry holds at most 48 bytes, got ${content.length}; use --chain for longer content`)
  }
  return withNode(values, io, 'write', async (node) => {
    const e = await appendOwn(node.logs, node.blobs, node.signer, content, values.chain ?? false)
    io.out(`appended ${toHex(e.fid)}.[${e.seq}] mid=${toHex(e.mid)} ${values.chain ? 'chain20' : 'plain48'} ${content.length} bytes`)
    return 0
  })
}

/** One line of `log dump` for people. */
export function describe(seq: number, mid: Uint8Array, c: EntryContent): string {
  const head = `[${seq}] ${toHex(mid)} ${c.type}`
  if ('content' in c) return `${head} ${c.length}B ${showBytes(c.content)}`
  if ('missing' in c) return `${head} ${c.length}B (incomplete: ${c.have} bytes, still missing blob ${toHex(c.missing)})`
  return `${head} ${showBytes(stripZeros(c.payload))}`
}

/** One JSON object of `log dump --json`, bytes as hex. */
function json(seq: number, mid: Uint8Array, wire: Uint8Array, c: EntryContent): string {
  const o: Record<string, unknown> = { seq, mid: toHex(mid), type: c.type }
  if ('content' in c) Object.assign(o, { length: c.length, content: toHex(c.content) })
  else if ('missing' in c) Object.assign(o, { length: c.length, have: c.have, missing: toHex(c.missing) })
  else o.payload = toHex(c.payload)
  o.wire = toHex(wire)
  return JSON.stringify(o)
}

async function dump(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { ...COMMON, feed: { type: 'string' }, json: { type: 'boolean' } })
  return withNode(values, io, 'read', async (node) => {
    const fid = values.feed !== undefined ? hexArg(values.feed, '--feed') : node.config.feedID
    if (fid.length !== FID_BYTES) throw new CliError('CLI_USAGE', `--feed expects ${FID_BYTES} bytes (64 hex digits), got ${fid.length}`)
    const info = await node.logs.info(fid)
    if (!info) {
      const held: string[] = []
      for await (const f of node.logs.feeds()) held.push(toHex(f))
      const hint = values.feed === undefined && held.length > 0 ? `; it holds ${held.join(', ')} (use --feed FIDHEX)` : ''
      throw new CliError('CLI_NOT_FOUND', `${node.name} has no log for feed ${toHex(fid)}${hint}`)
    }
    if (!values.json) io.out(`log ${toHex(fid)} of ${node.name}: anchor [${info.anchorSeq}], front [${info.frontSeq}]`)
    for await (const e of node.logs.entries(fid)) {
      const c = await entryContent(e, node.blobs)
      io.out(values.json ? json(e.seq, e.mid, e.wire, c) : describe(e.seq, e.mid, c))
    }
    return 0
  })
}

async function verify(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, COMMON)
  return withNode(values, io, 'read', async (node) => {
    let n = 0
    for await (const fid of node.logs.feeds()) {
      const r = await node.logs.verify(fid)
      if (!r.ok) {
        // a data directory made by the micropython demos signs with HMAC-SHA512: say so
        const hint = r.code === 'PACKET_SIGNATURE' && !values.hmac ? ' (made by the micropython demo? try --hmac)' : ''
        throw new CliError('CLI_VERIFY', `log ${toHex(fid)} of ${node.name}: entry [${r.seq}]: ${r.message} (${r.code})${hint}`)
      }
      io.out(`ok ${toHex(fid)} ${r.entries} entries, front [${r.frontSeq}]`)
      n++
    }
    io.out(`${node.name}: ${n} log${n === 1 ? '' : 's'} verified`)
    return 0
  })
}

export async function log(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === 'append') return append(rest, io)
  if (sub === 'dump') return dump(rest, io)
  if (sub === 'verify') return verify(rest, io)
  throw new CliError('CLI_USAGE', `unknown log command "${sub ?? ''}"; usage:\n  ${LOG_USAGE.join('\n  ')}`)
}
