// The replica scheduler: when a replica asks for which entries, as a pure state machine. No I/O, no
// clock, no randomness: time comes in with the events, and the decision says what to send and
// when to be woken up. The node executes decisions (queues the WANT records, arms a jittered timer).
//
// The policy (README.md "How it works", its loss policy):
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
import { BACKOFF_AFTER, HEAD_COPIES, PROBE_COPIES, SILENT_ROUNDS } from './options.js'
import { advance, ask, base, forget, headAskedAt, headOverdue, liveRecords, maxWindow, maybeSample, repair, retryMin, span } from './scheduler-asks.js'

/** What the scheduler knows about the faces: per face, records per WANT frame and the window. */
export interface SchedulerFace {
  /** Records one WANT frame holds on this face; 0: the face carries no WANTs. */
  readonly records: number
  /** Entries asked for ahead of the front on this face; also the most records one decision asks there. */
  readonly window: number
  /**
   * Whether records asked again go out in copies on this face (default: when its window is larger
   * than one frame; a LoRa face sends none). A window shrunk to a share of the want-ahead keeps
   * the face's own answer.
   */
  readonly copies?: boolean
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
  /** The last seq received and in the append pipeline (≥ front): asks go on from there. */
  readonly received: number
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
  /** Whether entries arrived since the last timeout. */
  readonly progressed: boolean
  /** Whether an entry was appended since this catch-up began ('caught-up' needs it). */
  readonly gained: boolean
  /** Timeouts in a row without any entry arriving. */
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
  /**
   * Entries up to `upTo` arrived and wait in the append pipeline (the store checks them); `upTo`
   * below what was reported before: a batch was refused and the pipeline starts again from there.
   */
  | { readonly type: 'received'; readonly at: number; readonly upTo: number }
  /** `count` (≥ 1) entries were appended at once; the front moved by `count`. */
  | { readonly type: 'appended'; readonly at: number; readonly count: number }
  /**
   * The timer armed by the last decision fired. `heard`: frames from the peer that delivered the
   * replica's last entries arrived since the last round but fit no chain yet (parked): answers that
   * came before their predecessor, so the round was not silent. `queued`: answers arrived since the
   * timer was armed, all to records asked before the replica's head was first asked (by other
   * replicas): the peer is still answering what came first, the head's answer waits behind them.
   */
  | { readonly type: 'timeout'; readonly at: number; readonly heard?: boolean; readonly queued?: boolean }
  /** A peer says it holds the feed up to `seq` (an unsettled front hint; 0: no hint any more). */
  | { readonly type: 'hint'; readonly at: number; readonly seq: number }

/** Records for seqs `from` … `to` (inclusive) on face number `face`, at most one frame's worth. */
export interface WantSpec {
  readonly face: number
  readonly from: number
  readonly to: number
  /** Some of these seqs were asked before (a repair): their answers are asked one per frame. */
  readonly again?: boolean
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

type Step = { state: ReplicaState; decision: Decision }

/** The state of a replica that holds entries up to `front` and has not asked for anything yet. */
export function initialReplica(front: number, cfg: SchedulerConfig): ReplicaState {
  const rto = retryMin(cfg)
  return {
    front,
    received: front,
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

const none: Decision = { wants: [], timerMs: undefined, caughtUp: false }
const decide = (state: ReplicaState, wants: readonly WantSpec[], timerMs: number | undefined, caughtUp = false): Step => ({
  state: timerMs === undefined ? state : { ...state, timer: timerMs },
  decision: { wants, timerMs, caughtUp },
})

/**
 * One step of a replica's state machine: the new state and the decision for `ev`.
 * Pure: the same arguments always give the same result.
 */
export function stepReplica(cfg: SchedulerConfig, s: ReplicaState, ev: ReplicaEvent): Step {
  switch (ev.type) {
    case 'start':
      return onStart(cfg, s, ev.at)
    case 'received':
      return onReceived(cfg, s, ev.at, ev.upTo)
    case 'appended':
      return ev.count >= 1 ? onAppended(cfg, s, ev.at, ev.count) : { state: s, decision: none }
    case 'timeout':
      return s.mode === 'live' ? onLiveTimeout(cfg, s, ev.at) : onCatchupTimeout(cfg, s, ev.at, ev.heard === true, ev.queued === true)
    case 'hint':
      return onHint(cfg, s, ev.at, ev.seq)
  }
}

function onStart(cfg: SchedulerConfig, s0: ReplicaState, at: number): Step {
  // a probe, not a window: a node following many feeds must not ask for a window of each; the
  // answers (two entries at once) show a backlog, and the window follows
  const s: ReplicaState = { ...s0, mode: 'catchup', gained: false, silent: 0, progressed: false, roundAt: at, sampled: false }
  const r = ask(cfg, s, at, span(base(s), liveRecords(cfg)))
  return decide(r.state, r.wants, s0.rto)
}

function onReceived(cfg: SchedulerConfig, s0: ReplicaState, at: number, upTo: number): Step {
  // the pipeline starts again from the front after a refused batch
  const received = Math.max(s0.front, upTo)
  if (s0.mode === 'live' || received <= s0.received) return { state: { ...s0, received }, decision: none }
  // frames arrive: answers keep coming, and the window moves on with them, before the store has
  // checked and written them
  const s = { ...maybeSample(cfg, s0, s0, at), received, progressed: true, silent: 0 }
  // the chain stopped at the head: when it is overdue, repair now
  const r = repair(cfg, s, at, headOverdue(s, at) ? 'all' : 'none')
  return decide(r.state, r.wants, undefined)
}

function onAppended(cfg: SchedulerConfig, s0: ReplicaState, at: number, count: number): Step {
  let s = maybeSample(cfg, advance(s0, count), s0, at)
  s = { ...s, progressed: true, gained: true, silent: 0, lastAppendAt: at }
  if (s0.mode === 'live') {
    // a backlog is coming in, not the producer's pushes one by one, when several entries come
    // at once, two within retryMin, or a peer says it holds more
    const backlog = count >= 2 || at - s0.lastAppendAt <= retryMin(cfg) || s.hinted > s.front
    if (!backlog) {
      // the original's rhythm: ask for what follows right after each append, and every interval
      const r = ask(cfg, forget(s), at, span(s.front, liveRecords(cfg)))
      return decide(r.state, r.wants, cfg.wantIntervalMs)
    }
    // the window asked now opens a round: its first answer is an RTT sample
    s = { ...s, mode: 'catchup', roundAt: at, sampled: false }
  }
  // catching up: keep the window full; the chain stopped at the head: when it is overdue, repair
  // (the head and whatever else is overdue) now. The timer detects silence: armed again at the RTO.
  const r = repair(cfg, s, at, headOverdue(s, at) ? 'all' : 'none')
  return decide(r.state, r.wants, s.rto)
}

function onCatchupTimeout(cfg: SchedulerConfig, s0: ReplicaState, at: number, heard: boolean, queued: boolean): Step {
  // The answers wait behind those of records asked before: asking again would only add answers
  // to the queue (a thousand feeds caught up at once asked ~30 % of their entries twice). Nothing
  // is asked again, so the first answer after the round is still an RTT sample: the state's timer
  // counts from the round (maybeSample), and the measured RTO learns the queue.
  if (queued && at - headAskedAt(s0) < cfg.wantIntervalMs) {
    const waited = Number.isFinite(s0.roundAt) ? at - s0.roundAt + s0.rto : s0.timer
    return { state: { ...s0, timer: waited }, decision: { wants: [], timerMs: s0.rto, caughtUp: false } }
  }
  const round = { roundAt: at, sampled: false }
  if (s0.progressed || heard) {
    // answers keep coming: repair what is overdue, keep the window full, no backoff. Nothing
    // parked this round: what lies beyond the head was lost entirely or does not exist (the end
    // of the log): only the head is asked again.
    const s: ReplicaState = { ...s0, ...round, progressed: false, silent: 0 }
    const r = repair(cfg, s, at, heard ? 'all' : 'head')
    return decide(r.state, r.wants, s.rto)
  }
  const silent = s0.silent + 1
  // the first silent rounds of a catch-up that delivered keep the RTO (a lost answer is likelier
  // than a gone peer); then the timer doubles up to the want interval
  const keep = s0.gained && silent <= (cfg.backoffAfter ?? BACKOFF_AFTER)
  const timer = keep ? s0.rto : Math.min(Math.max(s0.timer, s0.rto) * 2, cfg.wantIntervalMs)
  const behind = s0.hinted > s0.front
  if (s0.gained && silent >= Math.max(1, cfg.silentRounds ?? SILENT_ROUNDS) && !behind) {
    // nothing for several probes in a row: the replica has what its peers offer
    const live: ReplicaState = { ...forget(s0), roundAt: at, sampled: true, mode: 'live', progressed: false, silent, lastAppendAt: Number.NEGATIVE_INFINITY }
    const r = ask(cfg, live, at, span(s0.front, liveRecords(cfg)))
    return decide(r.state, r.wants, timer, true)
  }
  // Silence. A catch-up that delivered first asks again for its head (a lost answer is the likely
  // cause), then probes with more and more copies and records: a catch-up must not end because
  // WANTs were lost. A replica that never got anything probes once and backs off.
  const s: ReplicaState = { ...s0, ...round, progressed: false, silent }
  const b = base(s)
  if (!s0.gained) {
    const r = ask(cfg, s, at, span(b, liveRecords(cfg)))
    return decide(r.state, r.wants, timer)
  }
  const copies = Math.max(1, cfg.probeCopies ?? PROBE_COPIES)
  const frame = Math.max(1, ...cfg.faces.map((f) => f.records))
  const r =
    silent === 1
      ? ask(cfg, s, at, span(b, 1), Math.max(1, cfg.headCopies ?? HEAD_COPIES))
      : ask(cfg, s, at, span(b, silent === 2 ? liveRecords(cfg) : frame), copies)
  return decide(r.state, r.wants, timer)
}

function onLiveTimeout(cfg: SchedulerConfig, s0: ReplicaState, at: number): Step {
  // the periodic WANT of the live edge, backing off up to the want interval
  const timer = Math.min(Math.max(s0.timer * 2, s0.rto), cfg.wantIntervalMs)
  const s: ReplicaState = { ...forget(s0), progressed: false, lastAppendAt: Number.NEGATIVE_INFINITY }
  const r = ask(cfg, s, at, span(s.front, liveRecords(cfg)))
  return decide(r.state, r.wants, timer)
}

function onHint(cfg: SchedulerConfig, s0: ReplicaState, at: number, seq: number): Step {
  const s: ReplicaState = { ...s0, hinted: Math.max(0, seq) }
  if (!(seq > s.front)) return { state: s, decision: none }
  if (s.mode === 'live') {
    // a peer holds more: want-ahead at once
    const c: ReplicaState = { ...forget(s), mode: 'catchup', gained: true, silent: 0, roundAt: at, sampled: false }
    const r = ask(cfg, c, at, span(c.front, maxWindow(cfg)))
    return decide(r.state, r.wants, s.rto)
  }
  // catching up and backing off: the peer is there and holds more, so ask again soon
  if (s.timer > s.rto) return decide({ ...s, silent: 0 }, [], s.rto)
  return { state: s, decision: none }
}
