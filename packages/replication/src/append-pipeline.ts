// The append pipeline of a replica: a frame for the replica's next entry starts a batch (it and
// the parked frames that continue its chain, followed by DMX alone), and the batch waits for the
// store behind the ones before it. The node does not wait for a batch's verdicts before taking the
// next frames: the DMX after the batch is armed at once, so the next batch forms (and, with a
// verifier that checks ahead, gets its signatures checked) while the store checks and writes the
// last ones; the batches that formed meanwhile go to the store in one appendMany. A frame that
// continues the last waiting batch joins it; at most MAX_PIPELINE batches (of up to
// MAX_CHAIN_BATCH entries) wait, then the receive loop waits (backpressure).
import { entryMid, entrySignatureItem, MAX_SEQ, nextDmxLatin1, PACKET_BYTES, type VerifyItem } from '@tinyssb/packet'
import type { NodeContext, Source } from './context.js'
import { dropReasonOf } from './drops.js'
import { dmxKeyOf } from './keys.js'
import { MAX_APPEND_ENTRIES, MAX_CHAIN_BATCH, MAX_PIPELINE } from './options.js'
import type { FrameRouter, Inbound } from './router.js'
import type { ReplicaState } from './scheduler.js'

/** One followed feed. */
export interface Replica {
  readonly fid: Uint8Array
  readonly key: string
  /** The log's front as the store last reported it. */
  front: number
  frontMid: Uint8Array
  /** Where the batches in the pipeline lead (the front when none waits). */
  tail: number
  tailMid: Uint8Array
  /** The scheduler's state; its front is `front`. */
  state: ReplicaState
  dmxKey: string | undefined
  /** When the replica's timer fires (the node's TimerHeap), or undefined. */
  due: number | undefined
  /** Where the replica's last entries came from, and that source's parked-frame count at the last round. */
  source: Source | undefined
  heardMark: number
  /** Batches formed and not handed to the store yet, oldest first. */
  waiting: Batch[]
  /** The store write in progress, and the appender (settles when nothing waits any more). */
  step: Promise<void> | undefined
  last: Promise<void> | undefined
}

/** Entries from `seq` on: a frame and the parked frames that continue its chain. */
export interface Batch {
  readonly seq: number
  /** Grows while the batch waits: frames that continue it join it (up to MAX_CHAIN_BATCH). */
  readonly chain: Inbound[]
  readonly mids: Uint8Array[]
}

/** A batch that the store appended (a prefix of it): what the replica does next. */
export interface Appended {
  readonly before: number
  readonly count: number
  readonly chain: readonly Inbound[]
  readonly mids: readonly Uint8Array[]
}

/** What the pipeline needs from the replicas. */
export interface PipelineHost {
  readonly ctx: NodeContext
  readonly router: FrameRouter
  /** Arms the DMX after the replica's tail (the frame handler calls {@link onEntry}). */
  arm(r: Replica): void
  /** The replica's tail moved (a batch formed, or a refused one moved it back to the front). */
  received(r: Replica): void
  /** Some entries of a batch were appended. */
  appended(r: Replica, a: Appended): Promise<void>
}

/** The replica's next entry arrived: form a batch and queue its append. */
export async function onEntry(host: PipelineHost, r: Replica, frame: Uint8Array, src: Source): Promise<void> {
  const { ctx, router } = host
  if (frame.length !== PACKET_BYTES) return ctx.drop('PACKET_LENGTH', src.face, src.peer)
  // The frame continues the last batch not handed to the store yet (the waiting batches end at the
  // tail): it joins that batch, up to MAX_CHAIN_BATCH entries. Answers arrive in order one by one
  // while the store syncs, so the receive loop waits only when MAX_PIPELINE full batches do.
  let joins = joinable(r)
  if (!joins && r.waiting.length >= MAX_PIPELINE) {
    await r.step // the receive loop waits for the store: bounded work in flight
    // a batch refused meanwhile moved the tail back: this frame may not be the next entry any more
    if (r.dmxKey !== dmxKeyOf(frame)) return router.dispatch({ frame, face: src.face, peer: src.peer })
    joins = joinable(r)
  }
  const room = MAX_CHAIN_BATCH - (joins?.chain.length ?? 0)
  // Follow the chain through parked frames by DMX alone (cheap hashing); the store checks every
  // signature and appends the valid prefix in one write.
  const seq = r.tail + 1
  const chain: Inbound[] = [{ frame, face: src.face, peer: src.peer }]
  const mids: Uint8Array[] = []
  const items: VerifyItem[] = []
  let prev = r.tailMid
  for (let s = seq; ; s++) {
    const pos = { fid: r.fid, seq: s, prev }
    const wire = chain[chain.length - 1]!.frame
    const mid = entryMid(pos, wire)
    mids.push(mid)
    if (ctx.verifyAhead) items.push(entrySignatureItem(pos, wire))
    if (chain.length >= room || s >= MAX_SEQ) break
    const next = router.unpark(nextDmxLatin1(r.fid, s, mid))
    if (!next) break
    chain.push(next)
    prev = mid
  }
  ctx.verifyAhead?.prefetch(items)
  r.tail = seq + chain.length - 1
  r.tailMid = mids[mids.length - 1]!
  host.arm(r)
  host.received(r)
  if (joins) {
    joins.chain.push(...chain)
    joins.mids.push(...mids)
  } else r.waiting.push({ seq, chain, mids })
  r.last ??= appender(host, r)
}

/** The last batch not handed to the store yet, when it has room for more entries. */
function joinable(r: Replica): Batch | undefined {
  const b = r.waiting[r.waiting.length - 1]
  return b && b.chain.length < MAX_CHAIN_BATCH ? b : undefined
}

/**
 * Appends what waits, oldest first, until nothing does: the batches that formed while the store
 * wrote the last ones go in one appendMany (up to MAX_APPEND_ENTRIES entries): the slower the
 * store (a durable one syncs each write), the larger its writes.
 */
async function appender(host: PipelineHost, r: Replica): Promise<void> {
  while (r.waiting.length > 0) {
    let k = 0
    let n = 0
    while (k < r.waiting.length && (k === 0 || n + r.waiting[k]!.chain.length <= MAX_APPEND_ENTRIES)) n += r.waiting[k++]!.chain.length
    const take = r.waiting.splice(0, k)
    const chain = take.flatMap((b) => b.chain)
    const mids = take.flatMap((b) => b.mids)
    const first = chain[0]!
    r.step = append(host, r, take[0]!.seq, chain, mids).catch((err: unknown) => host.ctx.drop(dropReasonOf(err), first.face, first.peer))
    await r.step
  }
  // nothing waits: the next batch starts a new appender (set here, in the same turn as the check)
  r.step = undefined
  r.last = undefined
}

async function append(host: PipelineHost, r: Replica, seq: number, chain: readonly Inbound[], mids: readonly Uint8Array[]): Promise<void> {
  const ctx = host.ctx
  if (seq !== r.front + 1) return // chained on a refused batch (its entries are asked for again)
  const before = r.front
  let error: unknown
  try {
    if (ctx.logs.appendMany) {
      const res = await ctx.logs.appendMany(r.fid, seq, chain.map((c) => c.frame))
      r.front = res.info.frontSeq
      r.frontMid = res.info.frontMid
      error = res.error
    } else {
      for (const c of chain) {
        const info = await ctx.logs.append(r.fid, r.front + 1, c.frame) // verifies DMX and signature
        r.front = info.frontSeq
        r.frontMid = info.frontMid
      }
    }
  } catch (err) {
    error = err
  }
  const count = r.front - before
  if (count < chain.length) {
    // the first refused entry is dropped; the ones after it chained on it and are worthless
    const bad = chain[count]!
    ctx.drop(dropReasonOf(error), bad.face, bad.peer)
    // the pipeline leads nowhere: what waits chained on the refused entry; start again from the
    // log's front
    r.waiting.length = 0
    r.tail = r.front
    r.tailMid = r.frontMid
    host.arm(r)
    host.received(r)
  }
  if (count > 0) await host.appended(r, { before, count, chain, mids })
}
