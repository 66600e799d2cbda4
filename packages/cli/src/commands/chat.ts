// `tinyssb chat`: mutual replication, the original's demo 3. Every line typed on stdin is appended
// to the node's own feed (a sidechain entry when longer than 48 bytes) and published; the node
// replicates every feed it trusts (config.json "trusted": a header-only log is added for each) and
// serves every feed it holds, so entries travel over intermittent, transitive connectivity.
import { createInterface } from 'node:readline'
import { equalBytes, toHex, WANT_MIN_BYTES, type Face } from '@tinyssb/packet'
import { createNode, WANT_INTERVAL_MS, WANT_WINDOW, type TinyNode } from '@tinyssb/replication'
import { intOption, numberOption, type Parsed } from '../args.js'
import { defineCommand } from '../command.js'
import { chatView } from '../chat-view.js'
import { CliError } from '../errors.js'
import { FACE_FLAGS, faceSpecs } from '../face-args.js'
import { openFaces } from '../faces.js'
import { DATA_FLAG, DURABILITY_FLAG, durabilityOption, FORCE_APPEND_FLAG, HMAC_FLAG, RECOVER_TIMEOUT_FLAG, TIMEOUT_FLAG } from '../flags.js'
import type { Io } from '../io.js'
import { logger } from '../logger.js'
import { feedNames, openNode, repairWarning, schemeFor } from '../node-dir.js'
import { appendOwn } from '../own-feed.js'
import { createProgress, progressMode } from '../progress.js'
import { startOwnFeed } from '../recover.js'
import { attachProgress, watchOwnFeed } from '../replica-view.js'
import { untilSignal } from '../signals.js'

/** The longest line accepted: a sidechain of 16 blobs, what a serving node sends after an entry. */
export const MAX_LINE_BYTES = 1_600

const FLAGS = {
  data: DATA_FLAG,
  node: { type: 'string', arg: 'NAME', help: 'the node of the data directory that chats (required)' },
  json: { type: 'boolean', help: 'one JSON object per line on stdout: entries, own entries, progress events' },
  timeout: { ...TIMEOUT_FLAG, help: 'stop after SEC seconds (also stops on end of input, Ctrl-C, SIGTERM)' },
  'want-interval': { type: 'string', arg: 'SEC', default: String(WANT_INTERVAL_MS / 1000), help: 'retransmission interval of WANTs' },
  'want-bytes': { type: 'string', arg: 'N', help: `largest WANT frame, at least ${WANT_MIN_BYTES}`, shownDefault: 'by face, as prodcons' },
  force: FORCE_APPEND_FLAG,
  'recover-timeout': RECOVER_TIMEOUT_FLAG,
  hmac: HMAC_FLAG,
  durability: DURABILITY_FLAG,
  ...FACE_FLAGS,
} as const

export const chatCommand = defineCommand({
  flags: FLAGS,
  description: [
    "Each line typed on stdin is appended to the node's own feed (a sidechain entry when longer than 48 bytes, at\n" +
      `most ${MAX_LINE_BYTES} bytes) and published. Entries of the other feeds are printed as they arrive, in order, sidechains\n` +
      'resolved: "[nodeB 12] text" (own entries too), or JSON with --json. The node replicates every feed its\n' +
      'config.json trusts (a header-only log is added for each on start) and serves every feed it holds, so a node\n' +
      'that is online passes entries on to nodes that come later. Stops at the end of input, Ctrl-C or SIGTERM.',
  ],
  examples: [
    'tinyssb chat --data demo --node nodeA --mc 239.255.42.1/5000 --iface 127.0.0.1 --ttl 1',
    'tinyssb chat --data demo --node nodeB --mc 239.255.42.1/5000 --iface 127.0.0.1 --ttl 1 --json',
  ],
  run: chat,
})

async function chat({ values: v }: Parsed<typeof FLAGS>, io: Io & { stdin?: NodeJS.ReadableStream }): Promise<number> {
  if (v.node === undefined) throw new CliError('CLI_USAGE', 'chat needs --node NAME (e.g. --node nodeA)')
  const timeout = v.timeout === undefined ? undefined : numberOption(v.timeout, 'timeout', 0)
  const wantIntervalMs = numberOption(v['want-interval'], 'want-interval', 0) * 1000
  const wantBytes = v['want-bytes'] === undefined ? undefined : intOption(v['want-bytes'], 'want-bytes', 0, WANT_MIN_BYTES)
  const recoverSec = numberOption(v['recover-timeout'], 'recover-timeout', 10, 0)
  const durable = durabilityOption(v.durability)
  const specs = faceSpecs(v)
  const mode = progressMode({ json: v.json, tty: io.tty })
  const progress = createProgress({ mode, out: mode === 'json' ? io.out : io.err }) // stdout is the conversation's
  // stdout carries the conversation; what the node does goes to stderr (through the bar on a terminal)
  const log = logger({ ...io, out: (l) => (mode === 'bar' ? progress.print(l) : io.err(l)), color: false })
  const scheme = await schemeFor(v.hmac ? 'hmac' : 'ed25519', v.data)
  const me = await openNode(v.data, v.node, { scheme, durable, onRepair: repairWarning(io), fast: true })
  const own = me.config.feedID
  const names = await feedNames(v.data, me)
  let faces: Face[] = []
  let node: TinyNode | undefined
  const view = chatView({ blobs: me.blobs, names, json: v.json ?? false, out: (l) => (mode === 'bar' ? progress.print(l) : io.out(l)) })
  try {
    // every trusted feed is replicated: a trust anchor (header-only log, from the genesis) for each
    for (const t of me.config.trusted) {
      if (equalBytes(t.fid, own) || (await me.logs.info(t.fid))) continue
      await me.logs.create(t.fid)
      log('gray', `following ${names(t.fid)} (trust anchor added)`)
    }
    faces = await openFaces(specs)
    for (const f of faces) log('gray', `face ${f.name} (mtu ${f.mtu})`)
    const engine = { window: WANT_WINDOW, wantIntervalMs, ...(wantBytes ? { wantBytes } : {}) }
    await startOwnFeed(me, faces, { timeoutMs: recoverSec * 1000, say: (l) => log('yellow', l), progress, engine, force: v.force ?? false, io })
    node = createNode({ logs: me.logs, blobs: me.blobs, faces, ownFeeds: [own], ...engine, ...(me.verifyAhead ? { verifyAhead: me.verifyAhead } : {}) })
    const n = node
    attachProgress(n, { progress, log, names, quiet: true })
    const watch = watchOwnFeed(n, own, (m) => log('red', m))
    n.on('append', (e) => {
      if (e.source !== 'remote' || equalBytes(e.fid, own)) return
      void me.logs.get(e.fid, e.seq).then((wire) => wire && view.add({ fid: e.fid, seq: e.seq, mid: e.mid, wire }))
    })
    n.on('blob', () => view.blob())
    await n.start()
    for await (const fid of me.logs.feeds()) {
      if (!equalBytes(fid, own)) progress.track(toHex(fid), names(fid), n.front(fid) ?? 0)
    }
    log('gray', `${me.name} chatting as ${toHex(own).slice(0, 16)}…; type a line and Enter (end of input or Ctrl-C stops)`)
    const input = createInterface({ input: io.stdin ?? process.stdin, crlfDelay: Infinity, terminal: false })
    let sending: Promise<void> = Promise.resolve()
    const send = async (line: string): Promise<void> => {
      const bytes = new TextEncoder().encode(line)
      if (bytes.length === 0) return
      if (bytes.length > MAX_LINE_BYTES) return log('red', `not sent: ${bytes.length} bytes, at most ${MAX_LINE_BYTES} per line`)
      const ahead = watch.behindAt()
      if (ahead !== undefined && !v.force && ahead > ((await me.logs.info(own))?.frontSeq ?? 0)) {
        return log('red', `not sent: peers hold ${me.name}'s feed up to [${ahead}]; restart chat to recover it (or --force)`)
      }
      const r = await appendOwn(me, bytes)
      await n.publish(r.entry.fid, r.entry.wire, r.blobs)
      view.add({ ...r.entry, own: true })
    }
    const ended = new Promise<string>((resolve) => {
      input.on('line', (line) => void (sending = sending.then(() => send(line))))
      input.on('close', () => resolve('end of input'))
    })
    const wait = untilSignal(timeout, process.stdin, { enter: false })
    const why = await Promise.race([ended, wait.done])
    wait.cancel()
    input.close()
    await sending // every line typed is appended and published before the node stops
    log('gray', `${why}: stopping`)
    return 0
  } finally {
    await view.flush()
    progress.stop()
    await node?.stop()
    await Promise.allSettled(faces.map((f) => f.close()))
    await me.close()
  }
}
