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
  /** The log's front as the store last reported it (appended, synced when the store syncs). */
  front: number
  frontMid: Uint8Array
  /**
   * Where the store's last write of this replica ends (≥ front): a durable store reports a write
   * before its sync (AppendManyOptions.onWritten), and the next batch is appended from there.
   */
  written: number
  writtenMid: Uint8Array
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
  /** The node's ask order of the replica's last WANT records (see Replicas: answers overtaking them show them lost). */
  round: number
  /** When its seqs were first asked: pairs (highest seq asked, round), ascending, none at or below the front; undefined: none. */
  firstAsks: number[] | undefined
  /** The node's count of answers when the replica's timer was armed. */
  answersMark: number
  /** Batches formed and not handed to the store yet, oldest first. */
  waiting: Batch[]
  /** Wakes the appender while it waits for appends in flight (a batch formed meanwhile). */
  wake: (() => void) | undefined
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
  r.wake?.()
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
 * store, the larger its writes. A durable store reports each write before its sync: the next
 * appendMany starts then, so its signatures are checked while the last one syncs; the appends are
 * reported (events, scheduler) in order, each after its sync.
 */
async function appender(host: PipelineHost, r: Replica): Promise<void> {
  let last: Promise<void> = Promise.resolve() // the latest append, reported (they report in order)
  let inflight = 0 // appends started and not reported: at most MAX_PIPELINE (a sync that hangs holds them)
  for (;;) {
    if (r.waiting.length > 0) {
      if (inflight >= MAX_PIPELINE) {
        r.step = last
        await last
        continue
      }
      let k = 0
      let n = 0
      while (k < r.waiting.length && (k === 0 || n + r.waiting[k]!.chain.length <= MAX_APPEND_ENTRIES)) n += r.waiting[k++]!.chain.length
      const take = r.waiting.splice(0, k)
      const chain = take.flatMap((b) => b.chain)
      const mids = take.flatMap((b) => b.mids)
      const first = chain[0]!
      let written!: () => void
      const wrote = new Promise<void>((resolve) => (written = resolve))
      inflight++
      const before = last
      last = append(host, r, take[0]!.seq, chain, mids, written, before)
        .catch((err: unknown) => host.ctx.drop(dropReasonOf(err), first.face, first.peer))
        .finally(written) // written, or failed: the appender goes on
        .then(() => before) // settles after every append before it, however this one ended
        .finally(() => void inflight--)
      r.step = wrote
      await wrote
      continue
    }
    // nothing waits: done once the appends in flight are reported (a new batch then starts a new
    // appender: r.last is cleared in the same turn as this check); a batch that forms meanwhile
    // wakes this one
    if (inflight === 0) break
    const woken = new Promise<void>((resolve) => (r.wake = resolve))
    r.step = last
    await Promise.race([last, woken])
    r.wake = undefined
  }
  r.step = undefined
  r.last = undefined
}

/**
 * One appendMany of `chain` from `seq`. `written()` is called when the store has written (durable
 * stores, before the sync) or is done; the append is reported after `before` was.
 */
async function append(
  host: PipelineHost,
  r: Replica,
  seq: number,
  chain: readonly Inbound[],
  mids: readonly Uint8Array[],
  written: () => void,
  before: Promise<void>,
): Promise<void> {
  const ctx = host.ctx
  if (seq !== r.written + 1) return // chained on a refused batch (its entries are asked for again)
  const start = r.written
  let count = 0
  let error: unknown
  let reported = false
  /** The store wrote (a prefix of) the chain: the next batch may go from where it ends. */
  const wrote = (frontSeq: number, frontMid: Uint8Array, err: unknown): void => {
    reported = true
    r.written = frontSeq
    r.writtenMid = frontMid
    count = frontSeq - start
    if (count < chain.length) refused(host, r, chain[count]!, err)
    written()
  }
  try {
    if (ctx.logs.appendMany) {
      const res = await ctx.logs.appendMany(r.fid, seq, chain.map((c) => c.frame), {
        onWritten: (w) => wrote(w.info.frontSeq, w.info.frontMid, w.error),
      })
      if (!reported) wrote(res.info.frontSeq, res.info.frontMid, res.error)
    } else {
      let front = start
      let mid = r.writtenMid
      try {
        for (const c of chain) {
          const info = await ctx.logs.append(r.fid, front + 1, c.frame) // verifies DMX and signature
          front = info.frontSeq
          mid = info.frontMid
        }
      } catch (err) {
        error = err
      }
      wrote(front, mid, error)
    }
  } catch (err) {
    // the store threw (STORE_SEQ, the log moved while it checked, a failed write or sync, which cut
    // the log back to what was synced): once the appends before this one have synced (or failed),
    // start again from the log as the store has it then
    await before
    await resync(host, r)
    throw err // the first entry is dropped, for that reason
  }
  await before // the appends before this one are reported first
  if (count > 0 && r.front < start + count) {
    r.front = start + count
    r.frontMid = mids[count - 1]!
    await host.appended(r, { before: start, count, chain, mids })
  }
}

/** The store refused `bad` (the first entry not appended): it is dropped, and the pipeline leads nowhere. */
function refused(host: PipelineHost, r: Replica, bad: Inbound, error: unknown): void {
  host.ctx.drop(dropReasonOf(error), bad.face, bad.peer)
  restart(host, r) // what waits chained on the refused entry
}

/** The pipeline starts again from where the store's last write ends: what waits is dropped. */
function restart(host: PipelineHost, r: Replica): void {
  r.waiting.length = 0
  r.tail = r.written
  r.tailMid = r.writtenMid
  host.arm(r)
  host.received(r)
}

/** After the store threw: the replica starts again from the log's front as the store has it now. */
async function resync(host: PipelineHost, r: Replica): Promise<void> {
  const info = await host.ctx.logs.info(r.fid).catch(() => undefined)
  if (info) {
    r.front = Math.min(r.front, info.frontSeq)
    r.written = info.frontSeq
    r.writtenMid = info.frontMid.slice()
    if (r.front === info.frontSeq) r.frontMid = r.writtenMid
  } else {
    r.written = r.front // unreadable: from the last front reported
    r.writtenMid = r.frontMid
  }
  restart(host, r)
}
