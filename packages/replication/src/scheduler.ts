// The replica scheduler: when a replica asks for which entries, as a pure state machine. No I/O, no
// clock, no randomness: time comes in with the events, and the decision says what to send and
// when to be woken up. The node executes decisions (encodes WANTs, arms a jittered timer).
//
// The policy (docs/PROTOCOL.md "The WANT protocol", README.md "How it works"):
// - catching up: ask for a window of entries per face, and ask ahead again when half of the
//   largest window has arrived; never re-ask what is still in flight;
// - retransmission: with nothing new for rto, ask again from the front with one frame per face (a
//   probe), backing off from retryMin up to the want interval while nothing comes;
// - the live edge: a round that delivered and then nothing more came means the replica has what its
//   peers offered ('caught up'); it then asks like the original, a small WANT for front+1 (and
//   front+2) after each append and every want interval, until two appends within retryMin show
//   that a backlog is coming in.
import { MAX_SEQ } from '@tinyssb/packet'
import { LIVE_WANT_RECORDS } from './options.js'

/** What the scheduler knows about the faces: per face, records per WANT frame and the window. */
export interface SchedulerFace {
  /** Records one WANT frame holds on this face; 0: the face carries no WANTs. */
  readonly records: number
  /** Entries asked for ahead of the front in a want-ahead round on this face. */
  readonly window: number
}

/** The scheduler's settings, shared by every replica of a node. */
export interface SchedulerConfig {
  readonly retryMinMs: number
  readonly wantIntervalMs: number
  readonly faces: readonly SchedulerFace[]
  /** Records of a live WANT (default LIVE_WANT_RECORDS, capped at a face's records). */
  readonly liveRecords?: number
}

/** The state of one replica. Immutable: {@link stepReplica} returns a new one. */
export interface ReplicaState {
  /** The replica's front seq (last entry held). */
  readonly front: number
  /** Highest seq asked for in the current round. */
  readonly requestedUpTo: number
  /** The retransmission timeout armed last (nominal, without jitter). */
  readonly rto: number
  /** Whether an entry was appended since the last timeout. */
  readonly progressed: boolean
  /** At the live edge: the last round delivered and then nothing more came. */
  readonly live: boolean
  /** When the last entry was appended (-Infinity: not since catching up). */
  readonly lastAppendAt: number
}

/** What happened to a replica. Times are the node clock's milliseconds. */
export type ReplicaEvent =
  /** The node started (or began tracking the replica while running). */
  | { readonly type: 'start'; readonly at: number }
  /** `count` (≥ 1) entries were appended at once; the front moved by `count`. */
  | { readonly type: 'appended'; readonly at: number; readonly count: number }
  /** The timer armed by the last decision fired. */
  | { readonly type: 'timeout'; readonly at: number }

/** One WANT frame to send: records for seqs `from` … `to` (inclusive) on face number `face`. */
export interface WantSpec {
  readonly face: number
  readonly from: number
  readonly to: number
}

/** What to do after an event. */
export interface Decision {
  /** WANT frames to send now, in order. */
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
  return { front, requestedUpTo: front, rto: Math.min(cfg.retryMinMs, cfg.wantIntervalMs), progressed: false, live: false, lastAppendAt: Number.NEGATIVE_INFINITY }
}

type Mode = 'window' | 'probe' | 'live'

/**
 * The WANT frames for seqs `from` … front + ahead on every face, where ahead is the face's window
 * (a want-ahead round), one frame's worth (a probe) or the live records; and the new requestedUpTo.
 */
function asks(cfg: SchedulerConfig, front: number, from: number, mode: Mode, upTo: number): { wants: WantSpec[]; upTo: number } {
  const wants: WantSpec[] = []
  const live = Math.max(1, cfg.liveRecords ?? LIVE_WANT_RECORDS)
  cfg.faces.forEach((f, face) => {
    const per = f.records
    if (per <= 0) return
    const ahead = mode === 'live' ? Math.min(live, per) : mode === 'probe' ? per : f.window
    const last = Math.min(front + ahead, MAX_SEQ)
    for (let seq = from; seq <= last; seq += per) wants.push({ face, from: seq, to: Math.min(seq + per - 1, last) })
    upTo = Math.max(upTo, last)
  })
  return { wants, upTo }
}

/** The largest want-ahead window over the faces (at least 1). */
function maxWindow(cfg: SchedulerConfig): number {
  return Math.max(1, ...cfg.faces.map((f) => f.window))
}

/**
 * One step of a replica's state machine: the new state and the decision for `ev`.
 * Pure: the same arguments always give the same result.
 */
export function stepReplica(cfg: SchedulerConfig, s: ReplicaState, ev: ReplicaEvent): { state: ReplicaState; decision: Decision } {
  const retryMin = Math.min(cfg.retryMinMs, cfg.wantIntervalMs)
  const none = { wants: [], caughtUp: false }
  switch (ev.type) {
    case 'start': {
      const { wants, upTo } = asks(cfg, s.front, s.front + 1, 'window', s.requestedUpTo)
      return { state: { ...s, requestedUpTo: upTo, rto: retryMin }, decision: { ...none, wants, timerMs: retryMin } }
    }
    case 'appended': {
      if (!(ev.count >= 1)) return { state: s, decision: { ...none, timerMs: undefined } }
      const front = s.front + ev.count
      // a backlog is coming in, not the producer's pushes one by one, when several entries come
      // at once or two within retryMin: then want-ahead again
      const live = s.live && !(ev.count >= 2 || ev.at - s.lastAppendAt <= retryMin)
      const next = { ...s, front, live, progressed: true, lastAppendAt: ev.at }
      if (live) {
        // the original's rhythm: ask for what follows right after each append, and every interval
        const { wants, upTo } = asks(cfg, front, front + 1, 'live', front)
        const timerMs = cfg.wantIntervalMs
        return { state: { ...next, requestedUpTo: upTo, rto: timerMs }, decision: { ...none, wants, timerMs } }
      }
      // catching up: ask ahead before the window runs dry; never re-ask what is still in flight
      let wants: WantSpec[] = []
      let upTo = s.requestedUpTo
      if (s.requestedUpTo - front <= Math.floor(maxWindow(cfg) / 2)) {
        ;({ wants, upTo } = asks(cfg, front, Math.max(s.requestedUpTo, front) + 1, 'window', s.requestedUpTo))
      }
      return { state: { ...next, requestedUpTo: upTo, rto: retryMin }, decision: { ...none, wants, timerMs: retryMin } }
    }
    case 'timeout': {
      // a round delivered and then nothing more came: the replica has what peers offered
      const caughtUp = s.progressed && !s.live
      const live = s.live || caughtUp
      // the backlog's last entries must not pair with the producer's next push
      const lastAppendAt = caughtUp ? Number.NEGATIVE_INFINITY : s.lastAppendAt
      // Nothing came for a while: ask again from the front. At the live edge that is the original's
      // periodic WANT; without any progress, back off from retryMin up to the want interval.
      const { wants, upTo } = asks(cfg, s.front, s.front + 1, live ? 'live' : 'probe', s.front)
      const timerMs = live ? cfg.wantIntervalMs : Math.min(s.rto * 2, cfg.wantIntervalMs)
      return {
        state: { ...s, live, lastAppendAt, progressed: false, requestedUpTo: upTo, rto: timerMs },
        decision: { wants, timerMs, caughtUp },
      }
    }
  }
}
