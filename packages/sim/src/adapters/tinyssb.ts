// The tinySSB adapter: each simulated node is the real node of @tinyssb/replication (createNode)
// over in-memory stores of @tinyssb/repo, with real ed25519 keys and signatures. A node that should
// hold another node's items gets a trust anchor (an empty log) for that node's feed, so the node
// replicates it like every log its store holds.
import type { Clock } from '@tinyssb/core'
import { DMX_BYTES, PACKET_BYTES, isBlobRequest, isFrontHint, sha256, wantDmx, type Verifier } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { appendToFeed, memoryBlobStore, memoryLogStore } from '@tinyssb/repo'
import { createNode, type NodeOptions } from '@tinyssb/replication'
import type { NodeContext, ProtocolAdapter, ProtocolNode } from '../adapter.js'
import { ScenarioError } from '../errors.js'

/** `protocol_options` of a tinySSB scenario, mapped onto createNode's options. */
const OPTIONS: Record<string, keyof NodeOptions | 'verify_cache'> = {
  window: 'window',
  want_interval_ms: 'wantIntervalMs',
  retry_min_ms: 'retryMinMs',
  want_bytes: 'wantBytes',
  serve_rate: 'serveRate',
  serve_burst: 'serveBurst',
  verify_cache: 'verify_cache',
}

const enc = new TextEncoder()

/**
 * The `tinyssb` protocol. Options (`protocol_options`): `window`, `want_interval_ms`,
 * `retry_min_ms`, `want_bytes`, `serve_rate`, `serve_burst` (createNode's options), and
 * `verify_cache` (default true: a signature checked once is not checked again by the next node;
 * the verdict is the same, the simulation much faster).
 */
export const tinyssbAdapter: ProtocolAdapter = {
  name: 'tinyssb',
  dataTags: ['entry'],
  checkOptions(o) {
    for (const [k, v] of Object.entries(o)) {
      const path = `protocol_options.${k}`
      if (!(k in OPTIONS)) throw new ScenarioError(path, `unknown option (expected one of ${Object.keys(OPTIONS).join(', ')})`)
      if (k === 'verify_cache') {
        if (typeof v !== 'boolean') throw new ScenarioError(path, `expected true or false, got ${String(v)}`)
      } else if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
        throw new ScenarioError(path, `expected an integer ≥ 1, got ${String(v)}`)
      }
    }
  },
  createRun({ scenario }) {
    const nodeOptions: Record<string, number> = {}
    let cache = true
    for (const [k, v] of Object.entries(scenario.protocolOptions)) {
      if (k === 'verify_cache') cache = v as boolean
      else nodeOptions[OPTIONS[k]!] = v as number
    }
    const verifier = cache ? cachedVerifier : ed25519
    const origins = new Map<string, string>() // fid (latin1) → node name
    const wantKinds = new Set<string>() // WANT DMX (latin1) of every feed
    const feedOf = (name: string): Feed => {
      const f = feed(name)
      if (!origins.has(f.key)) {
        origins.set(f.key, name)
        wantKinds.add(latin1(wantDmx(f.fid)))
      }
      return f
    }
    return {
      classify(frame) {
        if (frame.length === PACKET_BYTES) return 'entry'
        if (wantKinds.has(latin1(frame.subarray(0, DMX_BYTES)))) return 'want'
        if (isFrontHint(frame)) return 'front-hint'
        return isBlobRequest(frame) ? 'blob-request' : 'other'
      },
      async createNode(ctx) {
        const own = feedOf(ctx.name)
        const wants = ctx.wants.map(feedOf)
        return tinyssbNode(ctx, own, wants, verifier, nodeOptions, (fid) => origins.get(latin1(fid)))
      },
    }
  },
}

interface Feed {
  readonly fid: Uint8Array
  readonly key: string
  readonly seed: Uint8Array
}

async function tinyssbNode(
  ctx: NodeContext,
  own: Feed,
  wants: readonly Feed[],
  verifier: Verifier,
  options: Partial<NodeOptions>,
  originOf: (fid: Uint8Array) => string | undefined,
): Promise<ProtocolNode> {
  const logs = memoryLogStore({ verifier })
  const blobs = memoryBlobStore()
  await logs.create(own.fid)
  for (const w of wants) await logs.create(w.fid) // trust anchors: replicate these feeds from genesis
  const signer = ed25519.signer(own.seed)
  // The node drains its inbox through queueTask: while such a task waits in the simulator's queue,
  // node.idle() would wait for it, so settle() only waits when none is queued.
  let queued = 0
  const clock: Clock = {
    now: () => ctx.clock.now(),
    setTimeout: (fn, ms) => ctx.clock.setTimeout(fn, ms),
    clearTimeout: (h) => ctx.clock.clearTimeout(h),
    queueTask: (fn) => {
      queued++
      ctx.clock.queueTask!(() => {
        queued--
        fn()
      })
    },
  }
  const node = createNode({ ...options, logs, blobs, faces: ctx.faces, clock, random: ctx.random, ownFeeds: [own.fid] })
  const fronts = new Map<string, number>()
  let appended = 0
  node.on('append', (e) => {
    if (e.source !== 'remote') return
    const origin = originOf(e.fid)
    if (origin === undefined) return
    fronts.set(origin, Math.max(fronts.get(origin) ?? 0, e.seq))
    ctx.held(origin, e.seq)
  })
  return {
    start: () => node.start(),
    async append(seq) {
      if (seq !== appended + 1) throw new RangeError(`${ctx.name}: append ${seq} after ${appended}`)
      const { entry } = await appendToFeed({ logs, blobs, signer }, enc.encode(`${ctx.name}#${seq}`.slice(0, 48)))
      appended = seq
      await node.publish(entry.fid, entry.wire)
    },
    holds: (origin, seq) => (origin === ctx.name ? appended : (fronts.get(origin) ?? 0)) >= seq,
    settle: () => (queued > 0 ? undefined : node.idle()),
    stop: () => node.stop(),
  }
}

// Keys depend on the node's name only: the same node signs the same entries in every seed.
const feeds = new Map<string, Feed>()

function feed(name: string): Feed {
  let f = feeds.get(name)
  if (!f) {
    const seed = sha256(enc.encode(`tinyssb-sim key of ${name}`))
    const fid = ed25519.publicKey(seed)
    f = { fid, key: latin1(fid), seed }
    if (feeds.size >= 100_000) feeds.clear()
    feeds.set(name, f)
  }
  return f
}

function latin1(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!)
  return s
}

// Signatures found valid, shared by every node of every run in this process (bounded).
const verified = new Set<string>()
const VERIFIED_MAX = 200_000

/** ed25519 verification that remembers valid signatures (the same verdicts as ed25519.verify). */
const cachedVerifier: Verifier = {
  verify(sig, msg, publicKey) {
    const k = latin1(sig) + latin1(publicKey) + latin1(msg)
    if (verified.has(k)) return true
    const ok = ed25519.verify(sig, msg, publicKey)
    if (ok) {
      if (verified.size >= VERIFIED_MAX) verified.clear()
      verified.add(k)
    }
    return ok
  },
}
