// `tinyssb prodcons`: the original test_prodcons.py. nodeA produces a timestamped entry every
// --interval seconds and serves WANTs; `--cons nodeB|nodeC` replicates nodeA's feed (and serves it
// on, so replication is transitive). Flags for scripts: --count, --until, --timeout.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MID_BYTES, toHex, WANT_MIN_BYTES, type Face, type Verifier } from '@tinyssb/packet'
import { CONFIG_FILE, fsLogStore, LOGS_DIR } from '@tinyssb/repo'
import { createNode, SMALL_FACE_MTU, SMALL_FACE_WANT_BYTES, WANT_BYTES, WANT_INTERVAL_MS, WANT_WINDOW, type TinyNode } from '@tinyssb/replication'
import { intOption, numberOption, type Parsed } from '../args.js'
import { defineCommand } from '../command.js'
import { CliError } from '../errors.js'
import { FACE_FLAGS, faceSpecs } from '../face-args.js'
import { openFaces } from '../faces.js'
import { DATA_FLAG, DURABILITY_FLAG, durabilityOption, FORCE_APPEND_FLAG, HMAC_FLAG, RECOVER_TIMEOUT_FLAG, TIMEOUT_FLAG } from '../flags.js'
import type { Io } from '../io.js'
import { logger, type Logger } from '../logger.js'
import { openNode, repairWarning, schemeFor, type OpenedNode } from '../node-dir.js'
import { appendOwn } from '../own-feed.js'
import { createProgress, progressMode, type Progress } from '../progress.js'
import { startOwnFeed } from '../recover.js'
import { attachProgress, watchOwnFeed, type OwnFeedWatch } from '../replica-view.js'
import { untilSignal } from '../signals.js'
import { watchUntil } from '../until.js'

/** The shortest --interval: a faster producer would flood its peers (and a LoRa link many times over). */
export const MIN_INTERVAL_SEC = 0.1

const FLAGS = {
  data: DATA_FLAG,
  cons: { type: 'string', arg: 'nodeB|nodeC', help: "be a consumer: this node replicates nodeA's feed (and serves it on)", shownDefault: 'producer nodeA' },
  interval: { type: 'string', arg: 'SEC', default: '5', help: `seconds between the producer's entries (at least ${MIN_INTERVAL_SEC})` },
  count: { type: 'string', arg: 'N', help: 'the producer stops appending after N entries (it keeps serving)', shownDefault: 'no limit' },
  until: { type: 'string', arg: 'SEQ', help: 'the consumer exits 0 once its replica reaches entry SEQ', shownDefault: 'run until stopped' },
  timeout: { ...TIMEOUT_FLAG, help: 'stop after SEC seconds; exit 1 if --until or --count was not reached by then' },
  window: {
    type: 'string',
    arg: 'N',
    default: String(WANT_WINDOW),
    help: 'entries a consumer asks for ahead of its front on UDP faces (LoRa-sized faces: one WANT frame\'s worth)',
  },
  'want-interval': { type: 'string', arg: 'SEC', default: String(WANT_INTERVAL_MS / 1000), help: 'retransmission interval of WANTs' },
  'want-bytes': {
    type: 'string',
    arg: 'N',
    help: `largest WANT frame, at least ${WANT_MIN_BYTES}; raise it (e.g. 1400) when every peer is tinyssb-ts (on UDP it grows to the MTU once every peer heard sent a front hint)`,
    shownDefault: `${WANT_BYTES} on UDP, ${SMALL_FACE_WANT_BYTES} on faces with an MTU ≤ ${SMALL_FACE_MTU}: the Python reference reads 250 bytes at most`,
  },
  hmac: HMAC_FLAG,
  durability: DURABILITY_FLAG,
  quiet: { type: 'boolean', help: 'no line per replicated entry, no progress' },
  json: { type: 'boolean', help: 'catch-up progress as JSON events on stdout, one per line (log lines go to stderr)' },
  force: FORCE_APPEND_FLAG,
  'recover-timeout': RECOVER_TIMEOUT_FLAG,
  ...FACE_FLAGS,
} as const

export const prodconsCommand = defineCommand({
  flags: FLAGS,
  description: [
    'Without --cons, nodeA produces: it appends an ISO timestamp every --interval seconds and serves WANTs. With\n' +
      "--cons, that node replicates nodeA's feed. Start the producer once before any consumer: its first start adds\n" +
      "a trust anchor for nodeA's feed to nodeB and nodeC. Ctrl-C (or Enter on a terminal) stops it.",
  ],
  examples: [
    'tinyssb prodcons --data demo --mc 239.255.42.1/5000 --iface 127.0.0.1 --ttl 1',
    'tinyssb prodcons --data demo --cons nodeB --mc 239.255.42.1/5000 --iface 127.0.0.1 --ttl 1',
    'tinyssb prodcons --data demo --cons nodeB --kiss /dev/ttyUSB0 --duty-cycle 1',
  ],
  run: prodcons,
})

const GENESIS_PAYLOAD = 'entry 0' // the original producer's genesis entry

async function prodcons({ values: v }: Parsed<typeof FLAGS>, io: Io): Promise<number> {
  const interval = numberOption(v.interval, 'interval', 0, MIN_INTERVAL_SEC, 'a faster producer floods its peers')
  const count = v.count === undefined ? undefined : intOption(v.count, 'count', 0)
  const until = v.until === undefined ? undefined : intOption(v.until, 'until', 0, 1)
  const timeout = v.timeout === undefined ? undefined : numberOption(v.timeout, 'timeout', 0)
  const window = intOption(v.window, 'window', WANT_WINDOW, 1)
  const wantIntervalMs = numberOption(v['want-interval'], 'want-interval', 0) * 1000
  // larger WANTs are fine when every peer is tinyssb-ts; the Python reference reads 250 bytes at most
  const wantBytes = v['want-bytes'] === undefined ? undefined : intOption(v['want-bytes'], 'want-bytes', 0, WANT_MIN_BYTES)
  const durable = durabilityOption(v.durability)
  const specs = faceSpecs(v) // checked before anything is opened
  const cons = v.cons
  if (cons !== undefined && cons !== 'nodeB' && cons !== 'nodeC') {
    throw new CliError('CLI_USAGE', `--cons expects nodeB or nodeC, got "${cons}"`)
  }
  if (cons && count !== undefined) throw new CliError('CLI_USAGE', '--count is for the producer; a consumer takes --until')
  if (!cons && until !== undefined) throw new CliError('CLI_USAGE', '--until is for a consumer (--cons nodeB|nodeC)')

  const recoverSec = numberOption(v['recover-timeout'], 'recover-timeout', 10, 0)
  const progress = createProgress({ mode: progressMode({ json: v.json, quiet: v.quiet, tty: io.tty }), out: io.out })
  // log lines pass through the progress display (a bar is not broken); with --json they go to stderr
  const plain = (l: string): void => (v.json ? io.err(l) : progress.print(l))
  const log = logger({ ...io, out: plain })
  plain('Producer/consumer demo for tinyssb-ts (the tinySSB poc-01 protocol)')
  const scheme = await schemeFor(v.hmac ? 'hmac' : 'ed25519', v.data)
  // every role needs nodeA's feed ID: the producer writes it, consumers replicate it
  const nodeA = await openNode(v.data, 'nodeA', { scheme, durable, onRepair: repairWarning(io) })
  const fidA = nodeA.config.feedID
  let me: OpenedNode = nodeA
  if (cons) {
    await nodeA.close()
    me = await openNode(v.data, cons, { scheme, durable, onRepair: repairWarning(io), fast: true })
  }

  let faces: Face[] = []
  let node: TinyNode | undefined
  const stopProducing: Array<() => void> = []
  try {
    faces = await openFaces(specs)
    for (const f of faces) plain(`  face ${f.name} (mtu ${f.mtu})`)
    const engine = { window, wantIntervalMs, ...(wantBytes ? { wantBytes } : {}) }
    const common = { logs: me.logs, blobs: me.blobs, faces, ownFeeds: [me.config.feedID], ...engine, ...(me.verifyAhead ? { verifyAhead: me.verifyAhead } : {}) }
    let goal: Promise<string>
    const production = { made: 0, all: count === 0 }
    if (!cons) {
      plain('Producer nodeA:')
      // a log cut back or lost is first asked back from peers: a new entry would fork the feed
      const say = (l: string) => log('yellow', l)
      await startOwnFeed(me, faces, { timeoutMs: recoverSec * 1000, say, progress, engine, force: v.force ?? false, io })
      if (!(await me.logs.info(fidA))) {
        await appendOwn(me, new TextEncoder().encode(GENESIS_PAYLOAD))
        log('green', `created genesis entry of ${toHex(fidA).slice(0, 20)}…`)
      }
      // on every start, not only with the genesis: nodeA's log may come from `tinyssb repo` or
      // `log append`, and consumers without an anchor could never replicate it
      await addTrustAnchors(v.data, fidA, scheme, log)
      node = createNode(common)
      attachProgress(node, { progress, log, names: () => 'nodeA', quiet: v.quiet ?? false })
      await node.start()
      const watch = watchOwnFeed(node, fidA, (m) => log('red', m))
      goal = produce(node, me, log, interval, count, production, stopProducing, v.force ? undefined : watch)
    } else {
      plain(`Consumer ${cons}:`)
      if (!(await me.logs.info(fidA))) {
        throw new CliError('CLI_NOT_FOUND', `${cons} has no log for nodeA's feed: start the producer before (this) consumer`)
      }
      node = createNode(common)
      attachProgress(node, { progress, log, names: () => 'nodeA', quiet: v.quiet ?? false })
      // before the start: every entry that arrives is seen
      const watch = until === undefined ? undefined : watchUntil(node, me.logs, me.blobs, fidA, until)
      if (watch) stopProducing.push(watch.stop)
      await node.start()
      const front = node.front(fidA) ?? 0
      progress.track(toHex(fidA), 'nodeA', front)
      // --until is the one goal a consumer knows: it gives the bar its remaining entries and ETA
      if (until !== undefined) progress.target(toHex(fidA), 'nodeA', until)
      log('gray', `replica of ${toHex(fidA).slice(0, 20)}… at [${front}]`)
      goal = watch ? watch.reached.then(() => (log('green', `replica reached [${until}]`), 'goal')) : new Promise(() => {})
    }
    const wait = untilSignal(timeout)
    stopProducing.push(wait.cancel)
    if (process.stdin.isTTY) plain('Enter return (or Ctrl-C) to terminate...')
    const why = await Promise.race([goal, wait.done])
    if (why === 'timeout') {
      // a consumer with --until, or a producer with --count, that has not got there: a failure
      const front = cons ? (node.front(fidA) ?? 0) : ((await me.logs.info(fidA))?.frontSeq ?? 0)
      if (cons && until !== undefined) throw new CliError('CLI_TIMEOUT', `--timeout ${timeout}s: replica at [${front}], --until ${until} not reached`)
      if (!cons && count !== undefined && !production.all) throw new CliError('CLI_TIMEOUT', `--timeout ${timeout}s: --count ${count} not reached (log at [${front}])`)
    }
    progress.finish(toHex(fidA))
    log('gray', `${why === 'goal' ? 'done' : why}: stopping`)
    return 0
  } finally {
    for (const stop of stopProducing) stop()
    progress.stop()
    await node?.stop()
    await Promise.allSettled(faces.map((f) => f.close()))
    await me.close()
  }
}

/**
 * Header-only logs for nodeA's feed in nodeB's and nodeC's _logs (anchor seq 0, mid fid[0:20]),
 * where they have no log for it. A log that exists is not opened (a running consumer owns it).
 */
async function addTrustAnchors(data: string, fid: Uint8Array, verifier: Verifier, log: Logger) {
  for (const n of ['nodeB', 'nodeC']) {
    const dir = resolve(data, n)
    if (!existsSync(join(dir, CONFIG_FILE)) || existsSync(join(dir, LOGS_DIR, `${toHex(fid)}.log`))) continue
    const store = await fsLogStore({ dir, verifier, createIfMissing: true, durable: true })
    try {
      if (!(await store.info(fid))) {
        await store.create(fid, { anchorSeq: 0, anchorMid: fid.slice(0, MID_BYTES) })
        log('gray', `trust anchor for nodeA's feed added to ${n}`)
      }
    } finally {
      await store.close()
    }
  }
}

/**
 * Appends a timestamped entry every `interval` seconds and publishes it. With `count`, stops
 * appending after that many (it keeps serving). The promise never resolves: the producer runs
 * until a signal or --timeout.
 */
function produce(
  node: TinyNode,
  me: OpenedNode,
  log: Logger,
  interval: number,
  count: number | undefined,
  production: { made: number; all: boolean },
  stoppers: Array<() => void>,
  watch?: OwnFeedWatch,
): Promise<string> {
  return new Promise<string>((_resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    stoppers.push(() => clearTimeout(timer))
    const tick = async () => {
      // peers showed entries of this feed beyond the log: a new entry would fork it
      const ahead = watch?.behindAt()
      if (ahead !== undefined && ahead > ((await me.logs.info(me.config.feedID))?.frontSeq ?? 0)) {
        timer = setTimeout(() => void tick().catch(reject), interval * 1000)
        return
      }
      // an ISO timestamp: 24 bytes (the original's str(time.localtime()) was cut at 48 bytes)
      const { entry: e } = await appendOwn(me, new TextEncoder().encode(new Date().toISOString()))
      await node.publish(e.fid, e.wire)
      production.made++
      log('green', `[${e.seq}] enqueued for first time`)
      if (count !== undefined && production.made >= count) {
        production.all = true
        log('gray', `--count ${count} reached: no more entries, still serving`)
        return
      }
      timer = setTimeout(() => void tick().catch(reject), interval * 1000)
    }
    if (count !== 0) timer = setTimeout(() => void tick().catch(reject), interval * 1000)
  })
}
