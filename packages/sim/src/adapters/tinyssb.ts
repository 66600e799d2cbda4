// The tinySSB adapter: each simulated node is the real node of @tinyssb/replication (createNode)
// over in-memory stores of @tinyssb/repo, with real ed25519 keys and signatures. A node that should
// hold another node's items gets a trust anchor (an empty log) for that node's feed, so the node
// replicates it like every log its store holds.
import type { Clock } from '@tinyssb/core'
import { DMX_BYTES, PACKET_BYTES, blobPointer, isBlobRequest, isFrontHint, sha256, wantDmx, type Verifier } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { appendToFeed, memoryBlobStore, memoryLogStore } from '@tinyssb/repo'
import { createNode, type NodeOptions, type TinyNode } from '@tinyssb/replication'
import type { NodeContext, ProtocolAdapter, ProtocolNode } from '../adapter.js'
import { ScenarioError } from '../errors.js'
import { HeldItems } from './tinyssb-items.js'

/** `protocol_options` of a tinySSB scenario, mapped onto createNode's options. */
const OPTIONS: Record<string, keyof NodeOptions | 'verify_cache'> = {
  blob_requests: 'blobRequests',
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
 * The `tinyssb` protocol. An item is a plain entry "A#3", or with the scenario's `bytes` the label
 * repeated to that length: a chain20 entry with sidechain blobs above 48 bytes (held = the entry and
 * all its blobs). Options (`protocol_options`): `window`, `want_interval_ms`,
 * `retry_min_ms`, `want_bytes`, `serve_rate`, `serve_burst` (createNode's options), `blob_requests`
 * (default true: ask for missing sidechain blobs; false: never ask, requests are still answered), and
 * `verify_cache` (default true: a signature checked once is not checked again by the next node;
 * the verdict is the same, the simulation much faster).
 */
export const tinyssbAdapter: ProtocolAdapter = createTinyssbAdapter()

/** Hooks of {@link createTinyssbAdapter}. */
export interface TinyssbHooks {
  /** Called with each node created (e.g. to read `node.stats` after the run). */
  onNode?(name: string, node: TinyNode): void
}

/** The `tinyssb` protocol with hooks (tests and tools reading the real nodes' stats). */
export function createTinyssbAdapter(hooks: TinyssbHooks = {}): ProtocolAdapter {
  return {
    name: 'tinyssb',
    dataTags: ['entry', 'blob'],
    checkOptions(o) {
      for (const [k, v] of Object.entries(o)) {
        const path = `protocol_options.${k}`
        if (!(k in OPTIONS)) throw new ScenarioError(path, `unknown option (expected one of ${Object.keys(OPTIONS).join(', ')})`)
        if (k === 'verify_cache' || k === 'blob_requests') {
          if (typeof v !== 'boolean') throw new ScenarioError(path, `expected true or false, got ${String(v)}`)
        } else if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
          throw new ScenarioError(path, `expected an integer ≥ 1, got ${String(v)}`)
        }
      }
    },
    createRun({ scenario }) {
      const nodeOptions: Record<string, number | boolean> = {}
      let cache = true
      for (const [k, v] of Object.entries(scenario.protocolOptions)) {
        if (k === 'verify_cache') cache = v as boolean
        else nodeOptions[OPTIONS[k]!] = v as number | boolean
      }
      const verifier = cache ? cachedVerifier : ed25519
      const origins = new Map<string, string>() // fid (latin1) → node name
      const wantKinds = new Set<string>() // WANT DMX (latin1) of every feed
      const blobKeys = new Set<string>() // pointers (latin1) of every blob appended in this run
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
          if (frame.length === PACKET_BYTES) return blobKeys.size > 0 && blobKeys.has(latin1(blobPointer(frame))) ? 'blob' : 'entry'
          if (wantKinds.has(latin1(frame.subarray(0, DMX_BYTES)))) return 'want'
          if (isFrontHint(frame)) return 'front-hint'
          return isBlobRequest(frame) ? 'blob-request' : 'other'
        },
        async createNode(ctx) {
          const own = feedOf(ctx.name)
          const wants = ctx.wants.map(feedOf)
          const appended = (blobs: readonly Uint8Array[]): void => {
            for (const b of blobs) blobKeys.add(latin1(blobPointer(b)))
          }
          const n = await tinyssbNode(ctx, own, wants, verifier, nodeOptions, (fid) => origins.get(latin1(fid)), appended)
          hooks.onNode?.(ctx.name, n.node)
          return n.protocolNode
        },
      }
    },
  }
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
  blobsAppended: (blobs: readonly Uint8Array[]) => void,
): Promise<{ node: TinyNode; protocolNode: ProtocolNode }> {
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
  const items = new HeldItems(blobs, (origin, seq) => ctx.held(origin, seq))
  let appended = 0
  node.on('append', (e) => {
    if (e.source !== 'remote') return
    const origin = originOf(e.fid)
    if (origin !== undefined) items.entry(origin, e.seq, e.wire)
  })
  node.on('blob', (e) => items.blob(e.ptr))
  const protocolNode: ProtocolNode = {
    start: () => node.start(),
    async append(seq, bytes) {
      if (seq !== appended + 1) throw new RangeError(`${ctx.name}: append ${seq} after ${appended}`)
      const r = await appendToFeed({ logs, blobs, signer }, content(`${ctx.name}#${seq}`, bytes))
      appended = seq
      blobsAppended(r.blobs)
      await node.publish(r.entry.fid, r.entry.wire, r.blobs)
    },
    holds: (origin, seq) => (origin === ctx.name ? appended >= seq : items.holds(origin, seq)),
    // the node's inbox tasks wait in the simulator's queue; the item checks only on the blob store
    settle: () => (queued > 0 ? (items.busy ? items.settled() : undefined) : node.idle().then(() => items.settled())),
    stop: () => node.stop(),
  }
  return { node, protocolNode }
}

/** The content of item `label`: the label (≤ 48 bytes), or with `bytes` the label repeated to that length. */
function content(label: string, bytes: number | undefined): Uint8Array {
  if (bytes === undefined) return enc.encode(label.slice(0, 48))
  const unit = enc.encode(`${label} `)
  const out = new Uint8Array(bytes)
  for (let i = 0; i < bytes; i += unit.length) out.set(unit.subarray(0, Math.min(unit.length, bytes - i)), i)
  return out
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
