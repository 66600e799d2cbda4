// `tinyssb log repair` (cut damaged logs back to what verifies, with a report of what was cut) and
// `tinyssb log recover` (get the node's own feed back from peers before appending to it again).
import { unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { equalBytes, toHex } from '@tinyssb/packet'
import { LOGS_DIR, repairLog, type LogRepairReport } from '@tinyssb/repo'
import { feedOption, numberOption } from '../args.js'
import { defineCommand } from '../command.js'
import { CliError } from '../errors.js'
import { FACE_FLAGS, faceSpecs } from '../face-args.js'
import { openFaces } from '../faces.js'
import { DATA_FLAG, HMAC_FLAG, NODE_FLAG } from '../flags.js'
import type { Io } from '../io.js'
import { openNode, repairWarning } from '../node-dir.js'
import { checkOwnFeed } from '../own-feed.js'
import { createProgress, progressMode } from '../progress.js'
import { describeRecovery, recoverOwnFeed } from '../recover.js'

const COMMON = { data: DATA_FLAG, node: NODE_FLAG, hmac: HMAC_FLAG } as const

/** The lines `log repair` prints for one log. */
function reportLines(node: string, own: boolean, r: LogRepairReport): string[] {
  const fid = toHex(r.fid)
  if (r.repairs.length === 0) return [`ok ${fid} front [${r.frontAfter}]: nothing to repair`]
  const lines = [
    `repaired ${fid}: front [${r.frontBefore}] → [${r.frontAfter}], ${r.entriesLost} entr${r.entriesLost === 1 ? 'y' : 'ies'} cut, ${r.bytesCut} bytes`,
    ...r.repairs.map((x) => `  ${x.kind}: front [${x.frontBefore}] → [${x.frontAfter}], ${x.bytesCut} bytes cut`),
  ]
  if (own && r.entriesLost > 0) {
    lines.push(`  this is ${node}'s own feed: appends are refused until "tinyssb log recover --node ${node}" gets entries [${r.frontAfter + 1}..${r.frontBefore}] back from peers (or --force)`)
  } else if (r.entriesLost > 0) {
    lines.push('  a replica: the cut entries are fetched again from peers')
  }
  return lines
}

export const repairCommand = defineCommand({
  flags: {
    ...COMMON,
    feed: { type: 'string', arg: 'FIDHEX', help: 'repair only the log of this feed', shownDefault: 'every log of the node' },
  },
  description: [
    'Repairs the logs of a node: an interrupted append (a torn or unacknowledged block, a front beyond the file) and\n' +
      'damage in the middle of a log (cut back to the longest prefix that verifies, signatures checked). Prints what\n' +
      'was cut from each log. When the node\'s own feed loses entries, appends to it are refused until "log recover"\n' +
      'gets them back from peers. Exit 1 when a log still fails to verify. Do not run it beside a process that uses\n' +
      'the same node.',
  ],
  examples: ['tinyssb log repair --data demo', 'tinyssb log repair --data demo --node nodeB'],
  async run({ values }, io) {
    let feeds: Uint8Array[]
    // list the logs read-only (a writer's store is opened per log by repairLog)
    const node = await openNode(values.data, values.node, { alg: values.hmac ? 'hmac' : 'ed25519', readOnly: true })
    try {
      if (values.feed !== undefined) {
        feeds = [feedOption(values.feed, 'feed')]
      } else {
        feeds = []
        for await (const f of node.logs.feeds()) feeds.push(f)
      }
    } finally {
      await node.close()
    }
    let bad = 0
    let cut = 0
    for (const fid of feeds) {
      const own = equalBytes(fid, node.config.feedID)
      let r: LogRepairReport
      try {
        r = await repairLog({ dir: node.dir, fid, verifier: node.scheme, ownFeed: own })
      } catch (err) {
        io.err(`tinyssb: log ${toHex(fid)} of ${node.name}: ${(err as Error).message}`)
        bad++
        continue
      }
      if (!r.found) throw new CliError('CLI_NOT_FOUND', `${node.name} has no log for feed ${toHex(fid)}`)
      for (const l of reportLines(node.name, own, r)) io.out(l)
      cut += r.entriesLost
      if (!r.check.ok) {
        io.err(`tinyssb: log ${toHex(fid)} of ${node.name} still fails at entry [${r.check.seq}]: ${r.check.message} (${r.check.code})`)
        bad++
      }
    }
    io.out(`${node.name}: ${feeds.length} log${feeds.length === 1 ? '' : 's'} checked, ${cut} entr${cut === 1 ? 'y' : 'ies'} cut${bad ? `, ${bad} still bad` : ''}`)
    return bad ? 1 : 0
  },
})

export const recoverCommand = defineCommand({
  flags: {
    ...COMMON,
    timeout: { type: 'string', arg: 'SEC', default: '30', help: 'how long to wait for peers' },
    json: { type: 'boolean', help: 'progress as JSON events, one per line, and a last {"event":"recovered",…} line' },
    ...FACE_FLAGS,
  },
  description: [
    "Gets the node's own feed back from peers when its log was cut back (a repair) or is gone after it had entries:\n" +
      'asks for it from the last entry held (or from the genesis, into a new empty log), appends what verifies, and\n' +
      'waits at most --timeout seconds. The recovery marker is cleared, and appending allowed again, only when the\n' +
      'entries are back up to the old front; otherwise it says how far it got (exit 1). A feed that is fine is left alone.',
  ],
  examples: ['tinyssb log recover --data demo --mc 239.255.42.1/5000 --iface 127.0.0.1 --ttl 1 --timeout 20'],
  async run({ values: v }, io) {
    const timeout = numberOption(v.timeout, 'timeout', 30, 0)
    const specs = faceSpecs(v)
    const node = await openNode(v.data, v.node, { alg: v.hmac ? 'hmac' : 'ed25519', durable: true, onRepair: repairWarning(io) })
    let emptyLog: string | undefined
    try {
      const now = await checkOwnFeed(node)
      if (now.state === 'ok') {
        report(io, v.json ?? false, `nothing to recover: ${now.message}`, { state: now.state, front: now.front, target: null, complete: true })
        return 0 // no face opened
      }
      const faces = await openFaces(specs)
      const progress = createProgress({ mode: progressMode({ json: v.json, tty: io.tty }), out: io.out })
      try {
        const say = (l: string) => (v.json ? undefined : progress.print(l))
        const r = await recoverOwnFeed(node, faces, { timeoutMs: timeout * 1000, say, progress, evenIfNew: true })
        if (r.emptyCreated) emptyLog = join(node.dir, LOGS_DIR, `${toHex(node.config.feedID)}.log`)
        report(io, v.json ?? false, describeRecovery(node, r), { state: r.before.state, front: r.after.front, target: r.before.target ?? null, complete: r.complete })
        if (r.attempted && !r.complete && r.before.target !== undefined) {
          throw new CliError('CLI_TIMEOUT', `${node.name}'s own feed is still short of entry ${r.before.target}: appends stay refused; run it again with peers that hold the entries, or append with --force`)
        }
        return 0
      } finally {
        progress.stop()
        await Promise.allSettled(faces.map((f) => f.close()))
      }
    } finally {
      await node.close()
      // a log created for the recovery that got nothing: gone again, so the feed stays "new"
      if (emptyLog) unlinkSync(emptyLog)
    }
  },
})

function report(io: Io, json: boolean, line: string, o: Record<string, unknown>): void {
  io.out(json ? JSON.stringify({ event: 'recovered', ...o, message: line }) : line)
}
