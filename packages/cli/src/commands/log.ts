// `tinyssb log append | dump | verify`: one entry at a time, every entry of a log, every log checked.
import { errorCode } from '@tinyssb/core'
import { toHex, verifyEntry, PAYLOAD_BYTES } from '@tinyssb/packet'
import { verifyLogs, type LogsVerification } from '@tinyssb/repo'
import { feedOption, hexOption, intOption } from '../args.js'
import { defineCommand } from '../command.js'
import { CliError } from '../errors.js'
import { entryContent, type EntryContent } from '../feed.js'
import { DATA_FLAG, FORCE_APPEND_FLAG, HMAC_FLAG, NODE_FLAG } from '../flags.js'
import type { Io } from '../io.js'
import { openNode, repairWarning, type OpenedNode } from '../node-dir.js'
import { appendOwn, guardOwnFeed } from '../own-feed.js'
import { createProgress, progressMode } from '../progress.js'
import { showBytes, stripZeros } from '../text.js'

const COMMON = { data: DATA_FLAG, node: NODE_FLAG, hmac: HMAC_FLAG } as const

async function withNode<T>(
  v: { data: string; node: string; hmac?: boolean | undefined },
  io: Io,
  mode: 'read' | 'write',
  f: (n: OpenedNode) => Promise<T>,
) {
  // readers never write (no repair on open), so they are safe beside a running prodcons
  const readOnly = mode === 'read'
  const node = await openNode(v.data, v.node, { alg: v.hmac ? 'hmac' : 'ed25519', durable: true, onRepair: repairWarning(io), readOnly })
  try {
    return await f(node)
  } finally {
    await node.close()
  }
}

/** A data directory made by the micropython demos signs with HMAC-SHA512: say so. */
function hmacHint(code: string | undefined, hmac: boolean | undefined): string {
  return code === 'PACKET_SIGNATURE' && !hmac ? ' (made by the micropython demo? try --hmac)' : ''
}

export const appendCommand = defineCommand({
  flags: {
    ...COMMON,
    chain: { type: 'boolean', help: 'a sidechain (chain20) entry: content of any length, in 120-byte blobs' },
    hex: { type: 'string', arg: 'HEX', help: 'the content as hex bytes instead of TEXT' },
    force: FORCE_APPEND_FLAG,
  },
  args: '(--hex HEX | TEXT)',
  description: [
    `Appends one entry to the node's own feed (the first one is its genesis entry). A plain entry holds at most\n` +
      `${PAYLOAD_BYTES} bytes; use --chain for longer content. TEXT is the words given, joined by spaces (after --,\n` +
      'text starting with - is content too). Refused (exit 1, CLI_FORK) when the own feed\'s log was cut back, is gone\n' +
      'after it had entries, or is damaged: recover it (log recover) or repair it (log repair) first, or --force.',
  ],
  examples: ['tinyssb log append --data demo "hello from the command line"', 'tinyssb log append --data demo --chain "a longer text …"'],
  async run({ values, positionals }, io) {
    if ((values.hex === undefined) === (positionals.length === 0)) {
      throw new CliError('CLI_USAGE', 'give the content either as TEXT or with --hex HEX (exactly one)')
    }
    const content = values.hex !== undefined ? hexOption(values.hex, 'hex') : new TextEncoder().encode(positionals.join(' '))
    if (!values.chain && content.length > PAYLOAD_BYTES) {
      throw new CliError('CLI_USAGE', `a plain entry holds at most ${PAYLOAD_BYTES} bytes, got ${content.length}; use --chain for longer content`)
    }
    return withNode(values, io, 'write', async (node) => {
      await guardOwnFeed(node, values.force ?? false, io)
      const { entry: e, type } = await appendOwn(node, content, { type: values.chain ? 'chain20' : 'plain48' })
      io.out(`appended ${toHex(e.fid)}.[${e.seq}] mid=${toHex(e.mid)} ${type} ${content.length} bytes`)
      return 0
    })
  },
})

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

export const dumpCommand = defineCommand({
  flags: {
    ...COMMON,
    feed: { type: 'string', arg: 'FIDHEX', help: 'the log of this feed (a replica) instead of the node\'s own', shownDefault: "the node's own feed" },
    json: { type: 'boolean', help: 'one JSON object per line, bytes as hex: seq, mid, type, payload or length/content, wire' },
  },
  description: [
    'Prints every entry that verifies (hash chain and signature), sidechains resolved; at the first bad entry it\n' +
      'stops with one line naming it and exits 1.',
  ],
  examples: ['tinyssb log dump --data demo', 'tinyssb log dump --data demo --json'],
  async run({ values }, io) {
    return withNode(values, io, 'read', async (node) => {
      const fid = values.feed !== undefined ? feedOption(values.feed, 'feed') : node.config.feedID
      const info = await node.logs.info(fid)
      if (!info) {
        const held: string[] = []
        for await (const f of node.logs.feeds()) held.push(toHex(f))
        const hint = values.feed === undefined && held.length > 0 ? `; it holds ${held.join(', ')} (use --feed FIDHEX)` : ''
        throw new CliError('CLI_NOT_FOUND', `${node.name} has no log for feed ${toHex(fid)}${hint}`)
      }
      if (!values.json) io.out(`log ${toHex(fid)} of ${node.name}: anchor [${info.anchorSeq}], front [${info.frontSeq}]`)
      // one entry at a time, each verified: what verifies is shown even when a later entry is bad
      let prev = info.anchorMid
      for (let seq = info.anchorSeq + 1; seq <= info.frontSeq; seq++) {
        let mid: Uint8Array
        let wire: Uint8Array
        try {
          const got = await node.logs.get(fid, seq)
          if (!got) throw new CliError('CLI_VERIFY', 'not in the log file')
          wire = got
          mid = verifyEntry({ fid, seq, prev }, wire, node.scheme).mid
        } catch (err) {
          const code = errorCode(err)
          const shown = seq - info.anchorSeq - 1
          throw new CliError(
            'CLI_VERIFY',
            `log ${toHex(fid)} of ${node.name}: entry [${seq}]: ${(err as Error).message}${code ? ` (${code})` : ''}${shown === 0 ? hmacHint(code, values.hmac) : ''}` +
              ` — ${shown} entr${shown === 1 ? 'y' : 'ies'} before it shown`,
            { cause: err },
          )
        }
        const c = await entryContent({ wire }, node.blobs)
        io.out(values.json ? json(seq, mid, wire, c) : describe(seq, mid, c))
        prev = mid
      }
      return 0
    })
  },
})

export const verifyCommand = defineCommand({
  flags: {
    ...COMMON,
    workers: {
      type: 'string',
      arg: 'N',
      help: 'worker threads checking ed25519 signatures',
      shownDefault: "one per core (@tinyssb/repo verifyLogs' default)",
    },
  },
  description: [
    'Checks every log the node holds (its own and its replicas): the hash chain, each signature and the header,\n' +
      'with the signatures checked on every core (a progress bar on a terminal). Prints one "ok" line per log; for a\n' +
      'bad log, one line naming the log and its first bad entry, exit 1. Read-only: nothing is repaired (that is\n' +
      '"log repair"), so it may run beside a process that appends.',
  ],
  examples: ['tinyssb log verify --data demo', 'tinyssb log verify --data demo --node nodeB --workers 1'],
  async run({ values }, io) {
    const workers = values.workers === undefined ? undefined : intOption(values.workers, 'workers', 1, 1)
    return withNode(values, io, 'read', async (node) => {
      const progress = createProgress({ mode: progressMode({ tty: io.tty }) === 'bar' ? 'bar' : 'off', out: io.out })
      const key = `verify ${node.name}`
      progress.track(key, `verifying ${node.name}`, 0)
      let r: LogsVerification
      try {
        r = await verifyLogs(node.logs, {
          // HMAC (micropython) signatures are checked by the node's own scheme; ed25519 on the worker pool
          ...(values.hmac ? { verifier: node.scheme } : workers !== undefined ? { workers } : {}),
          onProgress: (p) => {
            progress.target(key, `verifying ${node.name}`, p.entriesTotal)
            progress.update(key, `verifying ${node.name}`, p.entries)
          },
        })
      } finally {
        progress.stop()
      }
      const bad = r.results.filter((x) => !x.check.ok)
      for (const { fid, check } of r.results) if (check.ok) io.out(`ok ${toHex(fid)} ${check.entries} entries, front [${check.frontSeq}]`)
      const first = bad[0]
      if (first && !first.check.ok) {
        const c = first.check
        // a micropython (HMAC) log fails at its first entry; damage further on is for log repair
        const hint = (c.seq === 1 && hmacHint(c.code, values.hmac)) || ` — "tinyssb log repair --node ${node.name}" cuts it back to what verifies`
        const more = bad.length > 1 ? ` (and ${bad.length - 1} more bad log${bad.length > 2 ? 's' : ''})` : ''
        throw new CliError('CLI_VERIFY', `log ${toHex(first.fid)} of ${node.name}: entry [${c.seq}]: ${c.message} (${c.code})${hint}${more}`)
      }
      const n = r.results.length
      io.out(`${node.name}: ${n} log${n === 1 ? '' : 's'} verified`)
      return 0
    })
  },
})
