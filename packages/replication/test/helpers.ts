// Test fixtures: feeds with real signatures, memory stores, and a loop that drives a fake clock.
import {
  createPlainEntry,
  genesisPosition,
  type Entry,
  type LogStore,
  type Signer,
  type Verifier,
} from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { memoryBlobStore, memoryLogStore } from '@tinyssb/repo'
import { fakeClock, memoryHub, type FakeClock } from '@tinyssb/testkit'
import { createNode, type NodeOptions } from '../src/index.js'

export const scheme = nodeEd25519

export function signerFor(i: number): Signer {
  return scheme.signer(new Uint8Array(32).fill(i + 1))
}

/** A counting verifier, to prove that garbage costs no signature check. */
export function countingVerifier(): Verifier & { calls: number } {
  const v = {
    calls: 0,
    verify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array) {
      v.calls++
      return scheme.verify(sig, msg, pk)
    },
  }
  return v
}

export function stores(verifier: Verifier = scheme) {
  return { logs: memoryLogStore({ verifier }), blobs: memoryBlobStore() }
}

/**
 * A store that forwards to `inner`, with the methods in `over` replacing its own: the tests' store
 * wrappers (slow, syncing or failing appendMany) differ only there.
 */
export function storeView(inner: LogStore, over: Partial<LogStore>): LogStore {
  const view: LogStore = {
    create: (fid, o) => inner.create(fid, o),
    info: (fid) => inner.info(fid),
    get: (fid, seq) => inner.get(fid, seq),
    append: (fid, seq, wire) => inner.append(fid, seq, wire),
    entries: (fid, from) => inner.entries(fid, from),
    feeds: () => inner.feeds(),
    close: () => inner.close(),
  }
  if (inner.getRange) view.getRange = (fid, from, count) => inner.getRange!(fid, from, count)
  if (inner.appendMany) view.appendMany = (fid, seq, wires, opts) => inner.appendMany!(fid, seq, wires, opts)
  return { ...view, ...over }
}

/** Appends `n` plain entries to the signer's feed in `logs` (creating the log); returns them. */
export async function produce(logs: LogStore, signer: Signer, n: number): Promise<Entry[]> {
  const fid = signer.publicKey
  let info = (await logs.info(fid)) ?? (await logs.create(fid))
  const out: Entry[] = []
  for (let i = 0; i < n; i++) {
    const pos = info.frontSeq === 0 ? genesisPosition(fid) : { fid, seq: info.frontSeq + 1, prev: info.frontMid }
    const e = createPlainEntry(pos, new TextEncoder().encode(`entry ${pos.seq}`), signer)
    info = await logs.append(fid, pos.seq, e.wire)
    out.push(e)
  }
  return out
}

/** Lets promises and immediates run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
}

/** Advances the fake clock in steps until `cond` holds; false if `maxMs` of fake time pass first. */
export async function runUntil(clock: FakeClock, cond: () => boolean, maxMs = 120_000, stepMs = 5): Promise<boolean> {
  for (let t = 0; t <= maxMs; t += stepMs) {
    await flush()
    if (cond()) return true
    clock.advance(stepMs)
  }
  await flush()
  return cond()
}

/**
 * The common fixture: a producer A holding `entries` entries of its feed and a consumer B holding
 * the trust anchor, on one memory hub driven by a fake clock. The nodes are created, not started.
 */
export async function producerAndConsumer(opts: {
  seed: number
  feed: number
  entries: number
  node?: Partial<NodeOptions>
  verifier?: Verifier
  /** Hub delay range in ms: frames then arrive one by one, at different times. */
  delayMs?: [number, number]
  /** The hub's grouping of face names (MemoryHubOptions.peerGroup). */
  peerGroup?: (name: string) => string
}) {
  const clock = fakeClock()
  const hub = memoryHub({ seed: opts.seed, clock, ...(opts.delayMs ? { delayMs: opts.delayMs } : {}), ...(opts.peerGroup ? { peerGroup: opts.peerGroup } : {}) })
  const a = stores()
  const b = stores(opts.verifier)
  const signer = signerFor(opts.feed)
  const fid = signer.publicKey
  await produce(a.logs, signer, opts.entries)
  await b.logs.create(fid)
  const nodeA = createNode({ ...a, faces: [hub.face('A')], clock, ownFeeds: [fid], ...opts.node })
  const nodeB = createNode({ ...b, faces: [hub.face('B')], clock, ...opts.node })
  return { clock, hub, a, b, signer, fid, nodeA, nodeB }
}

/** The fixture of {@link producerAndConsumer}, for an attack to join its hub before the nodes start. */
export type Fixture = Awaited<ReturnType<typeof producerAndConsumer>>

/**
 * Virtual ms from the consumer's start until it holds all `entries` entries (at most 60 s), with
 * `attack` (if given) set up on the fixture before the nodes start. The nodes and hub are stopped
 * after; their counters stay readable.
 */
export async function timedCatchUp(opts: Parameters<typeof producerAndConsumer>[0], attack?: (f: Fixture) => void) {
  const f = await producerAndConsumer(opts)
  attack?.(f)
  await f.nodeA.start()
  const t0 = f.clock.now()
  await f.nodeB.start()
  const ok = await runUntil(f.clock, () => f.nodeB.front(f.fid) === opts.entries, 60_000, 5)
  const ms = f.clock.now() - t0
  await f.nodeA.stop()
  await f.nodeB.stop()
  await f.hub.close()
  return { ok, ms, nodeA: f.nodeA, nodeB: f.nodeB }
}
