// What the replica scheduler asks for: the seqs of a want-ahead window, of a repair and of a probe,
// cut into specs per face, and the bookkeeping of when each outstanding seq was asked and how
// often. Pure helpers of scheduler.ts.
import { MAX_SEQ } from '@tinyssb/packet'
import { HEAD_COPIES, LIVE_WANT_RECORDS, MAX_ASKS, REPAIR_COPIES, RTO_MIN_MS } from './options.js'
import type { ReplicaState, SchedulerConfig, SchedulerFace, WantSpec } from './scheduler.js'

export const retryMin = (cfg: SchedulerConfig): number => Math.min(cfg.retryMinMs, cfg.wantIntervalMs)
export const liveRecords = (cfg: SchedulerConfig): number => Math.max(1, cfg.liveRecords ?? LIVE_WANT_RECORDS)
/** Whether records asked again go out in copies on face `f` (its own say, else: a window larger than one frame). */
export const sendsCopies = (f: SchedulerFace): boolean => f.copies ?? f.window > f.records
export const maxWindow = (cfg: SchedulerConfig): number => Math.max(1, ...cfg.faces.map((f) => (f.records > 0 ? f.window : 1)))

/** The last seq the replica holds or has in its append pipeline: asks start after it. */
export const base = (s: ReplicaState): number => Math.max(s.front, s.received)

/**
 * Asks for `seqs` (ascending, all beyond the front): per face the ones within its window (from the
 * base), at most `window` of them, in specs of at most one frame of contiguous seqs; `copies` times
 * (the copies go in separate frames; a face whose window is one frame, LoRa, sends no copies).
 * Records the asks in the state.
 */
export function ask(cfg: SchedulerConfig, s: ReplicaState, at: number, seqs: readonly number[], copies = 1): { state: ReplicaState; wants: WantSpec[] } {
  const wants: WantSpec[] = []
  const asked = new Set<number>()
  const from = base(s)
  cfg.faces.forEach((f, face) => {
    if (f.records <= 0) return
    const mine = seqs.filter((q) => q > s.front && q <= from + f.window && q <= MAX_SEQ).slice(0, f.window)
    for (let c = 0; c < (sendsCopies(f) ? copies : 1); c++) {
      let i = 0
      while (i < mine.length) {
        let j = i
        while (j + 1 < mine.length && mine[j + 1] === mine[j]! + 1 && j + 1 - i < f.records) j++
        wants.push(askedBefore(s, mine[i]!, mine[j]!) ? { face, from: mine[i]!, to: mine[j]!, again: true } : { face, from: mine[i]!, to: mine[j]! })
        i = j + 1
      }
    }
    for (const q of mine) asked.add(q)
  })
  if (asked.size === 0) return { state: s, wants }
  let upTo = s.requestedUpTo
  for (const q of asked) upTo = Math.max(upTo, q)
  const n = upTo - s.front
  const askedAt = s.askedAt.slice(0, n)
  const asks = s.asks.slice(0, n)
  for (let i = askedAt.length; i < n; i++) {
    askedAt.push(Number.NEGATIVE_INFINITY)
    asks.push(0)
  }
  for (const q of asked) {
    askedAt[q - s.front - 1] = at
    asks[q - s.front - 1]!++
  }
  return { state: { ...s, requestedUpTo: upTo, askedAt, asks }, wants }
}

/** Whether a seq of `from` … `to` was asked before (per the state before this ask). */
function askedBefore(s: ReplicaState, from: number, to: number): boolean {
  for (let q = from; q <= to; q++) if ((s.asks[q - s.front - 1] ?? 0) > 0) return true
  return false
}

/** Seqs after `from`, `n` of them (not past the last seq). */
export function span(from: number, n: number): number[] {
  const out: number[] = []
  for (let q = from + 1; q <= Math.min(from + n, MAX_SEQ); q++) out.push(q)
  return out
}

/** Seqs never asked that keep the largest window full: up to base + window, once half of it has come. */
export function aheadSeqs(cfg: SchedulerConfig, s: ReplicaState): number[] {
  const w = maxWindow(cfg)
  const b = base(s)
  if (s.requestedUpTo - b > Math.floor(w / 2)) return []
  return span(Math.max(s.requestedUpTo, b), Math.min(b + w, MAX_SEQ) - Math.max(s.requestedUpTo, b))
}

/**
 * Outstanding seqs (not in the pipeline) asked at least an RTO ago, within the first half of the
 * window (what lies beyond is asked again when the base gets closer; at the end of a log most of
 * it does not exist): the head always, the others while asked fewer than maxAsks times.
 */
export function overdueSeqs(cfg: SchedulerConfig, s: ReplicaState, at: number): number[] {
  const maxAsks = Math.max(1, cfg.maxAsks ?? MAX_ASKS)
  const first = base(s) - s.front
  const end = Math.min(s.askedAt.length, first + Math.max(1, Math.floor(maxWindow(cfg) / 2)))
  const out: number[] = []
  for (let i = first; i < end; i++) {
    if (at - s.askedAt[i]! < s.rto) continue
    if (i === first || s.asks[i]! < maxAsks) out.push(s.front + 1 + i)
  }
  return out
}

/** When the head (the seq after the base) was last asked (-Infinity: not asked). */
export function headAskedAt(s: ReplicaState): number {
  return s.askedAt[base(s) - s.front] ?? Number.NEGATIVE_INFINITY
}

/** Whether the head (the seq after the base) was asked at least an RTO ago. */
export function headOverdue(s: ReplicaState, at: number): boolean {
  const asked = headAskedAt(s)
  return asked !== Number.NEGATIVE_INFINITY && at - asked >= s.rto
}

/**
 * Keeps the window full and asks again for what is overdue (`'all'`, or `'head'` alone): in
 * `repairCopies` copies (the server answers a record once however often it hears it within its
 * de-duplication window, so a copy costs a WANT frame, not an answer), the head in `headCopies`.
 */
export function repair(cfg: SchedulerConfig, s: ReplicaState, at: number, overdue: 'none' | 'head' | 'all'): { state: ReplicaState; wants: WantSpec[] } {
  const first = ask(cfg, s, at, aheadSeqs(cfg, s))
  const head = base(s) + 1
  const due = overdue === 'none' ? [] : overdueSeqs(cfg, s, at).filter((q) => overdue === 'all' || q === head)
  if (due.length === 0) return first
  const repairCopies = Math.max(1, cfg.repairCopies ?? REPAIR_COPIES)
  const again = ask(cfg, first.state, at, due, repairCopies)
  const wants = [...first.wants, ...again.wants]
  const extra = Math.max(1, cfg.headCopies ?? HEAD_COPIES) - repairCopies
  if (extra <= 0 || due[0] !== head) return { state: again.state, wants }
  // more copies of the head (the chain waits for it), last, so they travel in other frames
  const more = ask(cfg, again.state, at, [head], extra)
  const asks = more.state.asks.slice()
  asks[head - s.front - 1] = again.state.asks[head - s.front - 1]! // copies sent at once count as one ask
  return { state: { ...more.state, asks }, wants: [...wants, ...more.wants] }
}

/** A new RTT sample: RFC 6298's smoothing; the RTO is srtt + 4 rttvar within [rtoMin, want interval]. */
export function sample(cfg: SchedulerConfig, s: ReplicaState, rtt: number): ReplicaState {
  const r = Math.max(0, rtt)
  const first = s.srtt === 0
  const rttvar = first ? r / 2 : 0.75 * s.rttvar + 0.25 * Math.abs(s.srtt - r)
  const srtt = first ? Math.max(r, 1e-3) : 0.875 * s.srtt + 0.125 * r
  const floor = Math.min(cfg.rtoMinMs ?? RTO_MIN_MS, retryMin(cfg))
  const rto = Math.min(Math.max(srtt + 4 * rttvar, floor), cfg.wantIntervalMs)
  return { ...s, srtt, rttvar, rto, sampled: true }
}

/** An RTT sample if this is the first answer after a round and it came within the round's timer. */
export function maybeSample(cfg: SchedulerConfig, s: ReplicaState, s0: ReplicaState, at: number): ReplicaState {
  if (s0.sampled) return s
  if (s0.mode === 'catchup' && at - s0.roundAt <= s0.timer) return sample(cfg, s, at - s0.roundAt)
  return { ...s, sampled: true }
}

/** Drops the ask records of seqs at or below the new front. */
export function advance(s: ReplicaState, count: number): ReplicaState {
  const front = s.front + count
  return { ...s, front, received: Math.max(s.received, front), askedAt: s.askedAt.slice(count), asks: s.asks.slice(count) }
}

/** Forgets what was asked (the live edge asks anew). */
export function forget(s: ReplicaState): ReplicaState {
  return { ...s, askedAt: [], asks: [], requestedUpTo: s.front, received: s.front }
}
