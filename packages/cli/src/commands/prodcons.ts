// `tinyssb prodcons`: the original test_prodcons.py. nodeA produces a timestamped entry every
// --interval seconds and serves WANTs; `--cons nodeB|nodeC` replicates nodeA's feed (and serves it
// on, so replication is transitive). Flags for scripts: --count, --until, --timeout.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MID_BYTES, toHex, type Face } from '@tinyssb/packet'
import { fsLogStore } from '@tinyssb/repo'
import { createNode, type TinyNode } from '@tinyssb/replication'
import { intOption, numberOption, parse } from '../args.js'
import { CliError } from '../errors.js'
import { appendOwn } from '../feed.js'
import { openFaces } from '../faces.js'
import type { Io } from '../io.js'
import { logger, type Logger } from '../logger.js'
import { nodeDir, openNode, schemeFor, type OpenedNode } from '../node-dir.js'

export const PRODCONS_USAGE =
  'tinyssb prodcons [--data DIR] [--cons nodeB|nodeC] [--mc GROUP/PORT]… [--udp HOST/PORT]… [--udp-listen PORT]… ' +
  '[--kiss DEV]… [--iface ADDR] [--ttl N] [--interval SEC] [--count N] [--until SEQ] [--timeout SEC] [--window N]'

const OPTIONS = {
  data: { type: 'string', default: './data' },
  cons: { type: 'string' },
  mc: { type: 'string', multiple: true },
  udp: { type: 'string', multiple: true },
  'udp-listen': { type: 'string', multiple: true },
  kiss: { type: 'string', multiple: true },
  'kiss-cmd': { type: 'boolean' },
  'no-pacing': { type: 'boolean' },
  iface: { type: 'string' },
  ttl: { type: 'string' },
  interval: { type: 'string' },
  count: { type: 'string' },
  until: { type: 'string' },
  timeout: { type: 'string' },
  window: { type: 'string' },
  'want-interval': { type: 'string' },
  hmac: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const

const GENESIS_PAYLOAD = 'entry 0' // the original producer's genesis entry

/** Resolves on SIGINT/SIGTERM, or never for tests that pass their own stop signal. */
function signals(): { promise: Promise<string>; dispose(): void } {
  let resolveFn: (s: string) => void = () => {}
  const promise = new Promise<string>((r) => (resolveFn = r))
  const on = (s: string) => () => resolveFn(s)
  const int = on('SIGINT')
  const term = on('SIGTERM')
  process.once('SIGINT', int)
  process.once('SIGTERM', term)
  return { promise, dispose: () => (process.off('SIGINT', int), process.off('SIGTERM', term)) }
}

export async function prodcons(argv: string[], io: Io): Promise<number> {
  const { values: v } = parse(argv, OPTIONS)
  const interval = numberOption(v.interval, 'interval', 5)
  const count = v.count === undefined ? undefined : intOption(v.count, 'count', 0)
  const until = v.until === undefined ? undefined : intOption(v.until, 'until', 0, 1)
  const timeout = v.timeout === undefined ? undefined : numberOption(v.timeout, 'timeout', 0)
  const window = intOption(v.window, 'window', 32, 1)
  const wantIntervalMs = numberOption(v['want-interval'], 'want-interval', 10) * 1000
  const cons = v.cons
  if (cons !== undefined && cons !== 'nodeB' && cons !== 'nodeC') {
    throw new CliError('CLI_USAGE', `--cons expects nodeB or nodeC, got "${cons}"`)
  }
  if (cons && count !== undefined) throw new CliError('CLI_USAGE', '--count is for the producer; a consumer takes --until')
  if (!cons && until !== undefined) throw new CliError('CLI_USAGE', '--until is for a consumer (--cons nodeB|nodeC)')

  const log = logger(io)
  io.out('Producer/consumer demo for tinyssb-ts (the tinySSB poc-01 protocol)')
  const data = v.data
  const dirA = nodeDir(data, 'nodeA')
  const scheme = await schemeFor(v.hmac ? 'hmac' : 'ed25519', data)
  const nodeA = await openNode(data, 'nodeA', { scheme, durable: true })
  const fidA = nodeA.config.feedID
  const me: OpenedNode = cons ? await openNode(data, cons, { scheme, durable: true }) : nodeA
  if (cons) await nodeA.close()

  const faces: Face[] = await openFaces({
    mc: v.mc,
    udp: v.udp,
    udpListen: v['udp-listen'],
    kiss: v.kiss,
    iface: v.iface,
    ttl: v.ttl === undefined ? undefined : intOption(v.ttl, 'ttl', 0),
    kissPacing: !v['no-pacing'],
    kissCommandByte: v['kiss-cmd'] ? 0 : undefined,
  }).catch(async (err) => {
    await me.close()
    throw err
  })
  for (const f of faces) io.out(`  face ${f.name} (mtu ${f.mtu})`)

  const sig = signals()
  let node: TinyNode | undefined
  const timers: Array<ReturnType<typeof setTimeout>> = []
  try {
    let done: Promise<number>
    if (!cons) {
      io.out('Producer nodeA:')
      if (!(await me.logs.info(fidA))) {
        await appendOwn(me.logs, me.blobs, me.signer, new TextEncoder().encode(GENESIS_PAYLOAD), false)
        log('green', `created genesis entry of ${toHex(fidA).slice(0, 20)}…`)
        await addTrustAnchors(data, fidA, scheme, log)
      }
      node = createNode({ logs: me.logs, blobs: me.blobs, faces, ownFeeds: [fidA], window, wantIntervalMs })
      attachLogging(node, io, log, v.quiet ?? false)
      await node.start()
      done = produce(node, me, log, interval, count, timers)
    } else {
      io.out(`Consumer ${cons}:`)
      if (!(await me.logs.info(fidA))) {
        throw new CliError('CLI_NOT_FOUND', `${cons} has no trust anchor for nodeA's feed: start the producer before (this) consumer`)
      }
      node = createNode({ logs: me.logs, blobs: me.blobs, faces, ownFeeds: [me.config.feedID], window, wantIntervalMs })
      attachLogging(node, io, log, v.quiet ?? false)
      await node.start()
      log('gray', `replica of ${toHex(fidA).slice(0, 20)}… at [${node.front(fidA) ?? 0}]`)
      done = until === undefined ? new Promise(() => {}) : reach(node, fidA, until, log)
    }
    const outcomes: Array<Promise<number>> = [done, sig.promise.then((s) => (log('gray', `${s}: stopping`), 0))]
    if (timeout !== undefined) {
      outcomes.push(
        new Promise((r) =>
          timers.push(
            setTimeout(() => {
              const front = cons ? node?.front(fidA) : undefined
              const goal = cons ? `replica at [${front ?? 0}], --until ${until ?? '-'} not reached` : 'stopping'
              io.err(`tinyssb: --timeout ${timeout}s: ${goal}`)
              r(cons && until !== undefined ? 1 : 0)
            }, timeout * 1000),
          ),
        ),
      )
    }
    const code = await Promise.race(outcomes)
    return code
  } finally {
    sig.dispose()
    for (const t of timers) clearTimeout(t)
    await node?.stop()
    await Promise.allSettled(faces.map((f) => f.close()))
    await me.close()
    void dirA
  }
}

/** Header-only logs for nodeA's feed in nodeB's and nodeC's _logs (anchor seq 0, mid fid[0:20]). */
async function addTrustAnchors(data: string, fid: Uint8Array, verifier: Parameters<typeof fsLogStore>[0]['verifier'], log: Logger) {
  for (const n of ['nodeB', 'nodeC']) {
    const dir = resolve(data, n)
    if (!existsSync(join(dir, 'config.json'))) continue
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

function produce(node: TinyNode, me: OpenedNode, log: Logger, interval: number, count: number | undefined, timers: Array<ReturnType<typeof setTimeout>>): Promise<number> {
  return new Promise<number>((resolveDone, reject) => {
    let made = 0
    const tick = async () => {
      if (count !== undefined && made >= count) {
        log('gray', `--count ${count} reached: no more entries, still serving`)
        return
      }
      const text = new Date().toISOString()
      const e = await appendOwn(me.logs, me.blobs, me.signer, new TextEncoder().encode(text), false)
      await node.publish(e.fid, e.wire)
      made++
      log('green', `[${e.seq}] enqueued for first time`)
      timers.push(setTimeout(() => void tick().catch(reject), interval * 1000))
    }
    timers.push(setTimeout(() => void tick().catch(reject), count === 0 ? 0 : interval * 1000))
    void resolveDone
  })
}

function reach(node: TinyNode, fid: Uint8Array, until: number, log: Logger): Promise<number> {
  return new Promise((resolveDone) => {
    const check = () => {
      if ((node.front(fid) ?? 0) >= until) {
        log('green', `replica reached [${until}]: done`)
        resolveDone(0)
        return true
      }
      return false
    }
    if (check()) return
    const off = node.on('append', () => check() && off())
  })
}

/** Log lines like the original's, plus a progress line during catch-up (at most one per second). */
function attachLogging(node: TinyNode, io: Io, log: Logger, quiet: boolean): void {
  let lastLine = 0
  let since = 0
  node.on('append', (e) => {
    if (e.source !== 'remote' || quiet) return
    since++
    const now = Date.now()
    if (now - lastLine >= 1000) {
      log('green', since > 1 ? `log now at [${e.seq}] (+${since} entries)` : `append ${toHex(e.fid).slice(0, 20)}.[${e.seq}]`)
      lastLine = now
      since = 0
    }
  })
  node.on('caught-up', (e) => {
    if (since > 0) log('green', `log now at [${e.seq}] (+${since} entries)`)
    since = 0
    log('cyan', `caught up with what peers offered: ${toHex(e.fid).slice(0, 20)}… at [${e.seq}]`)
  })
  void io
}
