// The replica scheduler: when a replica asks for which entries, as a pure state machine. No I/O, no
// clock, no randomness: time comes in with the events, and the decision says what to send and
// when to be woken up. The node executes decisions (queues the WANT records, arms a jittered timer).
//
// The policy (README.md "The loss policy"):
// - start: a probe (front+1, front+2): two answers at once show a backlog, one the live edge;
// - catching up: ask for a window of entries per face, and ask ahead again when half of the
//   largest window has arrived; never re-ask what is younger than the RTO;
// - repair: what was asked an RTO ago and has not been appended is asked again, in copies (the
//   server answers a record once within its de-duplication window, so a copy costs a WANT frame,
//   not an answer): the head (the entry the chain waits for) at once when an append stops at it,
//   and in the timer's rounds the first half of the window, each seq at most `maxAsks` times (an
//   answer that came before its predecessor waits unseen in the parking lot: asking again costs
//   an answer when it did arrive). A round in which nothing was parked asks again for the head
//   only: what lies beyond was lost entirely or does not exist. The RTO is measured (srtt + 4
//   rttvar from the first answer after a round), never below rtoMin;
// - answers keep coming (appends, or frames from the replica's source parked: `heard`): no
//   backoff. Silence: the head again, then probes with more copies and records; the timer doubles
//   (after `backoffAfter` silent rounds) up to the want interval; a catch-up that delivered ends
//   ('caught-up') only after `silentRounds` silent rounds in a row, never while a front hint says
//   a peer holds more;
// - the live edge: it then asks like the original, front+1 and front+2 after each pushed entry and
//   periodically (backing off up to the want interval), until two entries within retryMin (or two
//   at once, or a front hint) show a backlog: then want-ahead again.
import { MAX_SEQ } from '@tinyssb/packet'
import { BACKOFF_AFTER, HEAD_COPIES, REPAIR_COPIES, LIVE_WANT_RECORDS, MAX_ASKS, PROBE_COPIES, RTO_MIN_MS, SILENT_ROUNDS } from './options.js'

/** What the scheduler knows about the faces: per face, records per WANT frame and the window. */
export interface SchedulerFace {
  /** Records one WANT frame holds on this face; 0: the face carries no WANTs. */
  readonly records: number
  /** Entries asked for ahead of the front on this face; also the most records one decision asks there. */
  readonly window: number
}

/** The scheduler's settings, shared by every replica of a node. */
export interface SchedulerConfig {
  /** The RTO before any RTT was measured; two appends within it show a backlog at the live edge. */
  readonly retryMinMs: number
  /** Longest timer: the cap of every backoff, and the live edge's periodic WANT (the original's 10 s). */
  readonly wantIntervalMs: number
  readonly faces: readonly SchedulerFace[]
  /** Records of a live WANT and of a probe (default LIVE_WANT_RECORDS, capped at a face's records). */
  readonly liveRecords?: number
  /** Floor of the measured RTO (default RTO_MIN_MS, at most retryMinMs). */
  readonly rtoMinMs?: number
  /** Rounds in a row without any answer before a catch-up ends (default SILENT_ROUNDS). */
  readonly silentRounds?: number
  /** Times a seq other than the head is asked before only the head asks for it again (default MAX_ASKS). */
  readonly maxAsks?: number
  /** Copies (separate frames) of the records asked again (default REPAIR_COPIES). */
  readonly repairCopies?: number
  /** Copies of the head's record when it is asked again (default HEAD_COPIES, at least repairCopies). */
  readonly headCopies?: number
  /** Copies of a silence probe once the catch-up delivered (default PROBE_COPIES). */
  readonly probeCopies?: number
  /** Silent rounds of a catch-up that delivered before the timer backs off (default BACKOFF_AFTER). */
  readonly backoffAfter?: number
}

/** 'catchup': asking ahead and repairing losses; 'live': caught up, asking like the original. */
export type ReplicaMode = 'catchup' | 'live'

/** The state of one replica. Immutable: {@link stepReplica} returns a new one. */
export interface ReplicaState {
  /** The replica's front seq (last entry held). */
  readonly front: number
  /** Highest seq asked for so far. */
  readonly requestedUpTo: number
  readonly mode: ReplicaMode
  /** The retransmission timeout: measured, or retryMin before the first sample. */
  readonly rto: number
  /** The timer armed last (nominal, without jitter). */
  readonly timer: number
  /** Smoothed round-trip time and its variation (ms); srtt 0: not measured yet. */
  readonly srtt: number
  readonly rttvar: number
  /** When the last round (start, repair, probe) was sent: the first answer after it is an RTT sample. */
  readonly roundAt: number
  readonly sampled: boolean
  /** Whether an entry was appended since the last timeout. */
  readonly progressed: boolean
  /** Whether an entry was appended since this catch-up began ('caught-up' needs it). */
  readonly gained: boolean
  /** Timeouts in a row without any entry appended. */
  readonly silent: number
  /** When the last entry was appended (-Infinity: not since catching up). */
  readonly lastAppendAt: number
  /** When seq front+1+i was last asked (index i), for front+1 … requestedUpTo. */
  readonly askedAt: readonly number[]
  /** How often seq front+1+i was asked. */
  readonly asks: readonly number[]
  /** The front a peer says it holds (front hint); 0: none. Beyond the front: the replica is behind. */
  readonly hinted: number
}

/** What happened to a replica. Times are the node clock's milliseconds. */
export type ReplicaEvent =
  /** The node started (or began following the replica while running). */
  | { readonly type: 'start'; readonly at: number }
  /** `count` (≥ 1) entries were appended at once; the front moved by `count`. */
  | { readonly type: 'appended'; readonly at: number; readonly count: number }
  /**
   * The timer armed by the last decision fired. `heard`: frames from the peer that delivered the
   * replica's last entries arrived since the last round but fit no chain yet (parked): answers that
   * came before their predecessor, so the round was not silent.
   */
  | { readonly type: 'timeout'; readonly at: number; readonly heard?: boolean }
  /** A peer says it holds the feed up to `seq` (an unsettled front hint; 0: no hint any more). */
  | { readonly type: 'hint'; readonly at: number; readonly seq: number }

/** Records for seqs `from` … `to` (inclusive) on face number `face`, at most one frame's worth. */
export interface WantSpec {
  readonly face: number
  readonly from: number
  readonly to: number
}

/** What to do after an event. */
export interface Decision {
  /** WANT records to send now, in order. */
  readonly wants: readonly WantSpec[]
  /**
   * (Re)arm the replica's timer to fire this many ms from now (nominal: the node adds jitter),
   * cancelling the one armed before; undefined: leave the timer as it is.
   */
  readonly timerMs: number | undefined
  /** The replica just reached the live edge (the node emits 'caught-up'). */
  readonly caughtUp: boolean
}

/** The state of a replica that holds entries up to `front` and has not asked for anything yet. */
export function initialReplica(front: number, cfg: SchedulerConfig): ReplicaState {
  const rto = retryMin(cfg)
  return {
    front,
    requestedUpTo: front,
    mode: 'catchup',
    rto,
    timer: rto,
    srtt: 0,
    rttvar: 0,
    roundAt: Number.NEGATIVE_INFINITY,
    sampled: true,
    progressed: false,
    gained: false,
    silent: 0,
    lastAppendAt: Number.NEGATIVE_INFINITY,
    askedAt: [],
    asks: [],
    hinted: 0,
  }
}

const retryMin = (cfg: SchedulerConfig): number => Math.min(cfg.retryMinMs, cfg.wantIntervalMs)
const liveRecords = (cfg: SchedulerConfig): number => Math.max(1, cfg.liveRecords ?? LIVE_WANT_RECORDS)
const maxWindow = (cfg: SchedulerConfig): number => Math.max(1, ...cfg.faces.map((f) => (f.records > 0 ? f.window : 1)))
const none: Decision = { wants: [], timerMs: undefined, caughtUp: false }

/**
 * Asks for `seqs` (ascending, all beyond the front): per face the ones within its window, at most
 * `window` of them, in specs of at most one frame of contiguous seqs; `copies` times (a doubled
 * probe: the copies go in separate frames). Records the asks in the state.
 */
function ask(cfg: SchedulerConfig, s: ReplicaState, at: number, seqs: readonly number[], copies = 1): { state: ReplicaState; wants: WantSpec[] } {
  const wants: WantSpec[] = []
  let upTo = s.requestedUpTo
  const asked = new Set<number>()
  cfg.faces.forEach((f, face) => {
    if (f.records <= 0) return
    const mine = seqs.filter((q) => q <= s.front + f.window && q <= MAX_SEQ).slice(0, f.window)
    // a face whose round is one frame (LoRa: airtime is precious) sends no copies
    for (let c = 0; c < (f.window > f.records ? copies : 1); c++) {
      let i = 0
      while (i < mine.length) {
        let j = i
        while (j + 1 < mine.length && mine[j + 1] === mine[j]! + 1 && j + 1 - i < f.records) j++
        wants.push({ face, from: mine[i]!, to: mine[j]! })
        i = j + 1
      }
    }
    for (const q of mine) asked.add(q)
  })
  if (asked.size === 0) return { state: s, wants }
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

/** Seqs front+1 … front+n (not past the last seq). */
function span(front: number, n: number): number[] {
  const out: number[] = []
  for (let q = front + 1; q <= Math.min(front + n, MAX_SEQ); q++) out.push(q)
  return out
}

/** Seqs never asked that keep the largest window full: up to front + window, when half of it has arrived. */
function aheadSeqs(cfg: SchedulerConfig, s: ReplicaState): number[] {
  const w = maxWindow(cfg)
  if (s.requestedUpTo - s.front > Math.floor(w / 2)) return []
  const out: number[] = []
  for (let q = Math.max(s.requestedUpTo, s.front) + 1; q <= Math.min(s.front + w, MAX_SEQ); q++) out.push(q)
  return out
}

/** Outstanding seqs asked at least an RTO ago: the head always, the others while asked fewer than maxAsks times. */
function overdueSeqs(cfg: SchedulerConfig, s: ReplicaState, at: number): number[] {
  const maxAsks = Math.max(1, cfg.maxAsks ?? MAX_ASKS)
  const out: number[] = []
  // within the first half of the window: what lies beyond is asked again when the front gets
  // closer (at the end of a log, most of it does not exist)
  const half = Math.max(1, Math.floor(maxWindow(cfg) / 2))
  for (let i = 0; i < Math.min(s.askedAt.length, half); i++) {
    if (at - s.askedAt[i]! < s.rto) continue
    if (i === 0 || s.asks[i]! < maxAsks) out.push(s.front + 1 + i)
  }
  return out
}

/**
 * Keeps the window full and, with `overdue`, asks again for what is overdue: the head with
 * `headCopies` copies (the last ones in frames of their own), the others once.
 */
function repair(cfg: SchedulerConfig, s: ReplicaState, at: number, overdue: 'none' | 'head' | 'all'): { state: ReplicaState; wants: WantSpec[] } {
  // new seqs once; what is asked again in `repairCopies` copies (the server answers a record once
  // however often it hears it within its de-duplication window, so a copy costs a WANT frame only)
  const first = ask(cfg, s, at, aheadSeqs(cfg, s))
  const due = overdue === 'none' ? [] : overdueSeqs(cfg, s, at).filter((q) => overdue === 'all' || q === s.front + 1)
  if (due.length === 0) return first
  const again = ask(cfg, first.state, at, due, Math.max(1, cfg.repairCopies ?? REPAIR_COPIES))
  const wants = [...first.wants, ...again.wants]
  const extra = Math.max(1, cfg.headCopies ?? HEAD_COPIES) - Math.max(1, cfg.repairCopies ?? REPAIR_COPIES)
  if (extra <= 0 || due[0] !== s.front + 1) return { state: again.state, wants }
  // more copies of the head (the chain waits for it), last, so they travel in other frames
  const head = ask(cfg, again.state, at, [s.front + 1], extra)
  const asks = head.state.asks.slice()
  asks[0] = again.state.asks[0]! // copies sent at once count as one ask
  return { state: { ...head.state, asks }, wants: [...wants, ...head.wants] }
}

/** A new RTT sample: RFC 6298's smoothing; the RTO is srtt + 4 rttvar within [rtoMin, want interval]. */
function sample(cfg: SchedulerConfig, s: ReplicaState, rtt: number): ReplicaState {
  const r = Math.max(0, rtt)
  const first = s.srtt === 0
  const rttvar = first ? r / 2 : 0.75 * s.rttvar + 0.25 * Math.abs(s.srtt - r)
  const srtt = first ? Math.max(r, 1e-3) : 0.875 * s.srtt + 0.125 * r
  const floor = Math.min(cfg.rtoMinMs ?? RTO_MIN_MS, retryMin(cfg))
  const rto = Math.min(Math.max(srtt + 4 * rttvar, floor), cfg.wantIntervalMs)
  return { ...s, srtt, rttvar, rto, sampled: true }
}

/** Drops the ask records of seqs at or below the new front. */
function advance(s: ReplicaState, count: number): ReplicaState {
  return { ...s, front: s.front + count, askedAt: s.askedAt.slice(count), asks: s.asks.slice(count) }
}

/**
 * One step of a replica's state machine: the new state and the decision for `ev`.
 * Pure: the same arguments always give the same result.
 */
export function stepReplica(cfg: SchedulerConfig, s: ReplicaState, ev: ReplicaEvent): { state: ReplicaState; decision: Decision } {
  switch (ev.type) {
    case 'start':
      return onStart(cfg, s, ev.at)
    case 'appended':
      return ev.count >= 1 ? onAppended(cfg, s, ev.at, ev.count) : { state: s, decision: none }
    case 'timeout':
      return s.mode === 'live' ? onLiveTimeout(cfg, s, ev.at) : onCatchupTimeout(cfg, s, ev.at, ev.heard === true)
    case 'hint':
      return onHint(cfg, s, ev.at, ev.seq)
  }
}

function onStart(cfg: SchedulerConfig, s: ReplicaState, at: number): { state: ReplicaState; decision: Decision } {
  // a probe, not a window: a node following many feeds must not ask for a window of each; the
  // answers (two entries at once) show a backlog, and the window follows
  const base: ReplicaState = { ...s, mode: 'catchup', gained: false, silent: 0, progressed: false, roundAt: at, sampled: false }
  const { state, wants } = ask(cfg, base, at, span(s.front, liveRecords(cfg)))
  return { state: { ...state, timer: s.rto }, decision: { wants, timerMs: s.rto, caughtUp: false } }
}

function onAppended(cfg: SchedulerConfig, s0: ReplicaState, at: number, count: number): { state: ReplicaState; decision: Decision } {
  let s = advance(s0, count)
  // an RTT sample: the first answer after a round, if it came within that round's timer
  if (!s0.sampled && s0.mode === 'catchup' && at - s0.roundAt <= s0.timer) s = sample(cfg, s, at - s0.roundAt)
  else if (!s0.sampled) s = { ...s, sampled: true }
  s = { ...s, progressed: true, gained: true, silent: 0, lastAppendAt: at }
  if (s0.mode === 'live') {
    // a backlog is coming in, not the producer's pushes one by one, when several entries come
    // at once, two within retryMin, or a peer says it holds more
    const backlog = count >= 2 || at - s0.lastAppendAt <= retryMin(cfg) || s.hinted > s.front
    if (!backlog) {
      // the original's rhythm: ask for what follows right after each append, and every interval
      const r = ask(cfg, { ...s, askedAt: [], asks: [], requestedUpTo: s.front }, at, span(s.front, liveRecords(cfg)))
      return { state: { ...r.state, timer: cfg.wantIntervalMs }, decision: { wants: r.wants, timerMs: cfg.wantIntervalMs, caughtUp: false } }
    }
    // the window asked now opens a round: its first answer is an RTT sample
    s = { ...s, mode: 'catchup', roundAt: at, sampled: false }
  }
  // catching up: keep the window full; the chain stopped at the head: when it is overdue, repair
  // (the head and whatever else is overdue) now
  const headOverdue = s.askedAt.length > 0 && at - s.askedAt[0]! >= s.rto
  const r = repair(cfg, s, at, headOverdue ? 'all' : 'none')
  // the timer detects silence: armed again at the RTO after every append
  return { state: { ...r.state, timer: s.rto }, decision: { wants: r.wants, timerMs: s.rto, caughtUp: false } }
}

function onCatchupTimeout(cfg: SchedulerConfig, s0: ReplicaState, at: number, heard: boolean): { state: ReplicaState; decision: Decision } {
  const round = { roundAt: at, sampled: false }
  if (s0.progressed || heard) {
    // answers keep coming: repair what is overdue, keep the window full, no backoff
    const s: ReplicaState = { ...s0, ...round, progressed: false, silent: 0 }
    // nothing parked this round: what lies beyond the front was lost entirely or does not exist
    // (the end of the log): only the head is asked again
    const r = repair(cfg, s, at, heard ? 'all' : 'head')
    return { state: { ...r.state, timer: s.rto }, decision: { wants: r.wants, timerMs: s.rto, caughtUp: false } }
  }
  const silent = s0.silent + 1
  // the first silent rounds of a catch-up that delivered keep the RTO (a lost answer is likelier
  // than a gone peer); then the timer doubles up to the want interval
  const keep = s0.gained && silent <= (cfg.backoffAfter ?? BACKOFF_AFTER)
  const timer = keep ? s0.rto : Math.min(Math.max(s0.timer, s0.rto) * 2, cfg.wantIntervalMs)
  const behind = s0.hinted > s0.front
  if (s0.gained && silent >= Math.max(1, cfg.silentRounds ?? SILENT_ROUNDS) && !behind) {
    // nothing for several doubled probes in a row: the replica has what its peers offer
    const live: ReplicaState = { ...s0, roundAt: at, sampled: true, mode: 'live', progressed: false, silent, lastAppendAt: Number.NEGATIVE_INFINITY, askedAt: [], asks: [], requestedUpTo: s0.front }
    const r = ask(cfg, live, at, span(s0.front, liveRecords(cfg)))
    return { state: { ...r.state, timer }, decision: { wants: r.wants, timerMs: timer, caughtUp: true } }
  }
  // Silence. A catch-up that delivered first asks again for its head (a lost answer is the likely
  // cause), then probes with more and more copies and records: a catch-up must not end because
  // WANTs were lost. A replica that never got anything probes once and backs off.
  const s: ReplicaState = { ...s0, ...round, progressed: false, silent }
  if (!s0.gained) {
    const r = ask(cfg, s, at, span(s.front, liveRecords(cfg)))
    return { state: { ...r.state, timer }, decision: { wants: r.wants, timerMs: timer, caughtUp: false } }
  }
  const copies = Math.max(1, cfg.probeCopies ?? PROBE_COPIES)
  const probeRecords = Math.max(1, ...cfg.faces.map((f) => f.records))
  const r =
    silent === 1
      ? ask(cfg, s, at, span(s.front, 1), Math.max(1, cfg.headCopies ?? HEAD_COPIES))
      : ask(cfg, s, at, span(s.front, silent === 2 ? liveRecords(cfg) : probeRecords), copies)
  return { state: { ...r.state, timer }, decision: { wants: r.wants, timerMs: timer, caughtUp: false } }
}

function onLiveTimeout(cfg: SchedulerConfig, s0: ReplicaState, at: number): { state: ReplicaState; decision: Decision } {
  // the periodic WANT of the live edge, backing off up to the want interval
  const timer = Math.min(Math.max(s0.timer * 2, s0.rto), cfg.wantIntervalMs)
  const s: ReplicaState = { ...s0, progressed: false, lastAppendAt: Number.NEGATIVE_INFINITY, askedAt: [], asks: [], requestedUpTo: s0.front }
  const r = ask(cfg, s, at, span(s.front, liveRecords(cfg)))
  return { state: { ...r.state, timer }, decision: { wants: r.wants, timerMs: timer, caughtUp: false } }
}

function onHint(cfg: SchedulerConfig, s0: ReplicaState, at: number, seq: number): { state: ReplicaState; decision: Decision } {
  const s: ReplicaState = { ...s0, hinted: Math.max(0, seq) }
  if (!(seq > s.front)) return { state: s, decision: none }
  if (s.mode === 'live') {
    // a peer holds more: want-ahead at once
    const c: ReplicaState = { ...s, mode: 'catchup', gained: true, silent: 0, roundAt: at, sampled: false, askedAt: [], asks: [], requestedUpTo: s.front }
    const r = ask(cfg, c, at, span(s.front, maxWindow(cfg)))
    return { state: { ...r.state, timer: s.rto }, decision: { wants: r.wants, timerMs: s.rto, caughtUp: false } }
  }
  // catching up and backing off: the peer is there and holds more, so ask again soon
  if (s.timer > s.rto) return { state: { ...s, timer: s.rto, silent: 0 }, decision: { wants: [], timerMs: s.rto, caughtUp: false } }
  return { state: s, decision: none }
}
