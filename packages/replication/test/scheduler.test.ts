// The replica scheduler alone: a pure state machine over time and events.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HEAD_COPIES, MAX_ASKS, PROBE_COPIES, REPAIR_COPIES, RTO_MIN_MS, SILENT_ROUNDS } from '../src/options.js'
import { initialReplica, stepReplica, type ReplicaEvent, type ReplicaState, type SchedulerConfig, type WantSpec } from '../src/scheduler.js'

const UDP = { records: 6, window: 128 }
const LORA = { records: 3, window: 3 }
const cfg: SchedulerConfig = { retryMinMs: 1000, wantIntervalMs: 10_000, faces: [UDP, LORA] }
const udpOnly: SchedulerConfig = { ...cfg, faces: [UDP] }

const seqs = (wants: readonly WantSpec[], face: number) => wants.filter((w) => w.face === face).map((w) => [w.from, w.to])
/** Every seq asked on `face`, in order, with repetitions (copies). */
const asked = (wants: readonly WantSpec[], face = 0) => wants.filter((w) => w.face === face).flatMap((w) => Array.from({ length: w.to - w.from + 1 }, (_, i) => w.from + i))
const count = (xs: number[], x: number) => xs.filter((y) => y === x).length

/** Runs events from `s`, returning the last result. */
function steps(c: SchedulerConfig, s: ReplicaState, events: ReplicaEvent[]) {
  let r = { state: s, decision: { wants: [] as readonly WantSpec[], timerMs: undefined as number | undefined, caughtUp: false } }
  for (const ev of events) r = stepReplica(c, r.state, ev)
  return r
}

/** A replica that started at `front` at time 0 and got its probe answered (2 entries) at `at`. */
function catchingUp(c: SchedulerConfig, front: number, at: number) {
  return steps(c, initialReplica(front, c), [
    { type: 'start', at: 0 },
    { type: 'appended', at, count: 2 },
  ])
}

describe('replica scheduler: start and want-ahead', () => {
  it('start: a probe of two records per face, timer at retryMin', () => {
    const { state, decision } = stepReplica(cfg, initialReplica(10, cfg), { type: 'start', at: 0 })
    expect(seqs(decision.wants, 0)).toEqual([[11, 12]])
    expect(seqs(decision.wants, 1)).toEqual([[11, 12]])
    expect(state.requestedUpTo).toBe(12)
    expect(decision.timerMs).toBe(1000)
    expect(decision.caughtUp).toBe(false)
    expect(state.mode).toBe('catchup')
  })

  it('the first answers open the window, cut into frames of the face records; a LoRa face asks one frame', () => {
    const { state, decision } = catchingUp(cfg, 10, 40)
    const udp = seqs(decision.wants, 0)
    expect(udp[0]).toEqual([13, 18])
    expect(udp.at(-1)![1]).toBe(12 + 128)
    expect(udp.every(([a, b]) => b! - a! + 1 <= 6)).toBe(true)
    expect(seqs(decision.wants, 1)).toEqual([[13, 15]])
    expect(state.requestedUpTo).toBe(140)
  })

  it('first asks are plain specs; a seq asked again (a repair) is flagged `again` (its answers come one per frame)', () => {
    const { state, decision } = catchingUp(udpOnly, 10, 40)
    expect(decision.wants.length).toBeGreaterThan(0)
    expect(decision.wants.every((w) => w.again === undefined)).toBe(true)
    // silence: the head and what is overdue are asked again
    const r = stepReplica(udpOnly, state, { type: 'timeout', at: 40 + 60_000 })
    expect(r.decision.wants.length).toBeGreaterThan(0)
    for (const w of r.decision.wants) expect(w.again).toBe(w.from <= state.requestedUpTo ? true : undefined)
  })

  it('asks ahead only when half the largest window arrived, never re-asking what is younger than the RTO', () => {
    let s = catchingUp(udpOnly, 0, 10).state // asked 3 … 130
    const first = stepReplica(udpOnly, s, { type: 'appended', at: 20, count: 63 }) // front 65
    expect(first.decision.wants).toEqual([])
    s = first.state
    const second = stepReplica(udpOnly, s, { type: 'appended', at: 30, count: 1 }) // front 66: 64 in flight
    expect(seqs(second.decision.wants, 0)[0]).toEqual([131, 136])
    expect(second.state.requestedUpTo).toBe(66 + 128)
    expect(asked(second.decision.wants).every((q) => q > 130)).toBe(true)
  })

  it('the window moves on with the entries received (in the append pipeline), before they are appended', () => {
    const s = catchingUp(udpOnly, 0, 10).state // asked 3 … 130
    const r = stepReplica(udpOnly, s, { type: 'received', at: 20, upTo: 70 })
    expect(r.state.front).toBe(2)
    expect(asked(r.decision.wants)[0]).toBe(131)
    expect(r.state.requestedUpTo).toBe(70 + 128)
    expect(r.decision.timerMs).toBeUndefined()
    // entries in the pipeline are never asked again; a refused batch moves the base back
    const t = stepReplica(udpOnly, r.state, { type: 'timeout', at: 400, heard: true })
    expect(asked(t.decision.wants).every((q) => q > 70)).toBe(true)
    const reset = stepReplica(udpOnly, r.state, { type: 'received', at: 30, upTo: 2 })
    expect(reset.state.received).toBe(2)
    const again = stepReplica(udpOnly, reset.state, { type: 'timeout', at: 400, heard: true })
    expect(asked(again.decision.wants)).toContain(3)
  })

  it('measures the RTO from the first answer after a round, floored at rtoMin', () => {
    const slow = catchingUp(udpOnly, 0, 400).state // the probe took 400 ms
    expect(slow.srtt).toBe(400)
    expect(slow.rto).toBe(400 + 4 * 200)
    const fast = catchingUp(udpOnly, 0, 3).state
    expect(fast.rto).toBe(RTO_MIN_MS)
    // later appends of the same round are no sample
    expect(stepReplica(udpOnly, slow, { type: 'appended', at: 5000, count: 1 }).state.srtt).toBe(400)
  })
})

describe('replica scheduler: loss repair', () => {
  it('an append that stops at an overdue head asks for it again at once, in copies', () => {
    const { state } = catchingUp(udpOnly, 0, 10) // front 2, asked 3 … 130 at 10, RTO 250
    // 300 ms later entries 3 … 9 arrive at once and the chain stops at 10, asked 300 ms ago
    const r = stepReplica(udpOnly, state, { type: 'appended', at: 310, count: 7 })
    const a = asked(r.decision.wants)
    expect(count(a, 10)).toBe(Math.max(HEAD_COPIES, REPAIR_COPIES))
    // the other overdue seqs of the first half of the window are asked again too, in copies
    expect(count(a, 11)).toBe(REPAIR_COPIES)
    expect(Math.max(...a)).toBeLessThanOrEqual(9 + 64)
    // a head asked less than an RTO ago is not asked again
    const young = stepReplica(udpOnly, state, { type: 'appended', at: 100, count: 7 })
    expect(asked(young.decision.wants)).not.toContain(10)
  })

  it('a window shrunk to one frame (a share of the want-ahead) keeps the face\'s copies; a LoRa face sends none', () => {
    const shared: SchedulerConfig = { ...cfg, faces: [{ records: 6, window: 4, copies: true }] }
    const { state } = catchingUp(shared, 0, 10) // front 2, asked 3 … 6 at 10
    const a = asked(stepReplica(shared, state, { type: 'appended', at: 310, count: 1 }).decision.wants) // the head, 4, overdue
    expect(count(a, 4)).toBe(Math.max(HEAD_COPIES, REPAIR_COPIES))
    const lora: SchedulerConfig = { ...cfg, faces: [{ records: 6, window: 4 }] } // one frame: no copies
    const b = asked(stepReplica(lora, catchingUp(lora, 0, 10).state, { type: 'appended', at: 310, count: 1 }).decision.wants)
    expect(count(b, 4)).toBe(1)
  })

  it('the timer round repairs what is overdue when answers were parked, and only the head when not', () => {
    const { state } = catchingUp(udpOnly, 0, 10)
    const s = stepReplica(udpOnly, state, { type: 'appended', at: 100, count: 3 }).state // front 5
    const heard = stepReplica(udpOnly, s, { type: 'timeout', at: 400, heard: true })
    const a = asked(heard.decision.wants)
    expect(count(a, 6)).toBeGreaterThanOrEqual(REPAIR_COPIES)
    expect(count(a, 7)).toBe(REPAIR_COPIES)
    expect(heard.decision.timerMs).toBe(s.rto) // answers keep coming: no backoff
    const quiet = stepReplica(udpOnly, s, { type: 'timeout', at: 400 })
    expect([...new Set(asked(quiet.decision.wants))]).toEqual([6])
  })

  it('a timeout while the peer answers what was asked before (queued) asks nothing; the late answer is an RTT sample', () => {
    const started = stepReplica(udpOnly, initialReplica(0, udpOnly), { type: 'start', at: 0 }).state // probe 1, 2; timer 1 s
    const wait = stepReplica(udpOnly, started, { type: 'timeout', at: 1000, queued: true })
    expect(wait.decision.wants).toEqual([])
    expect(wait.decision.timerMs).toBe(started.rto)
    expect(wait.state.silent).toBe(0)
    // nothing was asked twice: the answer 1.5 s after the probe measures the round trip (the queue)
    const late = stepReplica(udpOnly, wait.state, { type: 'appended', at: 1500, count: 2 }).state
    expect(late.srtt).toBe(1500)
    expect(late.rto).toBe(1500 + 4 * 750)
    // not queued, the same timeout probes again, and the answer measures from that probe
    const probed = stepReplica(udpOnly, started, { type: 'timeout', at: 1000 })
    expect(probed.decision.wants.length).toBeGreaterThan(0)
    expect(stepReplica(udpOnly, probed.state, { type: 'appended', at: 1500, count: 2 }).state.srtt).toBe(500)
    // a head asked a want interval ago is asked again, queued or not
    const long = stepReplica(udpOnly, started, { type: 'timeout', at: udpOnly.wantIntervalMs, queued: true })
    expect(long.decision.wants.length).toBeGreaterThan(0)
  })

  it('a seq other than the head is asked at most maxAsks times; the head always', () => {
    let s = catchingUp(udpOnly, 0, 10).state
    const counts = new Map<number, number>()
    for (let t = 1; t <= 6; t++) {
      const r = stepReplica(udpOnly, s, { type: 'timeout', at: 10 + 300 * t, heard: true })
      for (const q of new Set(asked(r.decision.wants))) counts.set(q, (counts.get(q) ?? 0) + 1)
      s = r.state
    }
    expect(counts.get(3)).toBe(6) // the head: every round
    expect(counts.get(4)).toBe(MAX_ASKS - 1) // asked once with the window, then MAX_ASKS - 1 repairs
    expect(s.asks[1]).toBe(MAX_ASKS)
  })
})

describe('replica scheduler: silence and the live edge', () => {
  it('a replica that never got anything probes with two records and backs off from retryMin to the want interval', () => {
    let s = stepReplica(cfg, initialReplica(5, cfg), { type: 'start', at: 0 }).state
    const timers: number[] = []
    for (let i = 0; i < 7; i++) {
      const r = stepReplica(cfg, s, { type: 'timeout', at: 1000 * i })
      expect(seqs(r.decision.wants, 0)).toEqual([[6, 7]])
      expect(r.decision.caughtUp).toBe(false)
      timers.push(r.decision.timerMs!)
      s = r.state
    }
    expect(timers).toEqual([2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000])
  })

  it('a catch-up that delivered ends only after the silent rounds: head again, then probes in copies', () => {
    let s = catchingUp(udpOnly, 0, 10).state
    s = stepReplica(udpOnly, s, { type: 'appended', at: 100, count: 3 }).state // front 5
    // the round after the last append is not silent (it delivered): it asks for the head again
    const after = stepReplica(udpOnly, s, { type: 'timeout', at: 400 })
    expect(after.decision.caughtUp).toBe(false)
    s = after.state
    const rounds = []
    let at = 700
    for (let i = 0; i < SILENT_ROUNDS; i++) {
      const r = stepReplica(udpOnly, s, { type: 'timeout', at })
      rounds.push(r.decision)
      at += r.decision.timerMs!
      s = r.state
    }
    // first silent round: the head again, in copies
    expect(asked(rounds[0]!.wants)).toEqual(Array(HEAD_COPIES).fill(6))
    // then probes of two records and of a frame, PROBE_COPIES copies each
    expect(asked(rounds[1]!.wants)).toEqual(Array(PROBE_COPIES).fill([6, 7]).flat())
    expect(asked(rounds[2]!.wants)).toEqual(Array(PROBE_COPIES).fill([6, 7, 8, 9, 10, 11]).flat())
    expect(rounds.slice(0, -1).every((d) => !d.caughtUp)).toBe(true)
    expect(rounds.at(-1)!.caughtUp).toBe(true)
    expect(s.mode).toBe('live')
    // the first silent round keeps the RTO; later ones double
    expect(rounds[0]!.timerMs).toBe(RTO_MIN_MS)
    expect(rounds[1]!.timerMs).toBe(2 * RTO_MIN_MS)
  })

  it('frames of the source parked meanwhile make a round not silent: no claim, no backoff', () => {
    let s = catchingUp(udpOnly, 0, 10).state
    for (let i = 0; i < 3 * SILENT_ROUNDS; i++) {
      const r = stepReplica(udpOnly, s, { type: 'timeout', at: 400 + 300 * i, heard: true })
      expect(r.decision.caughtUp).toBe(false)
      expect(r.decision.timerMs).toBe(RTO_MIN_MS)
      s = r.state
    }
  })

  it('no claim while a front hint says a peer holds more; a hint at the live edge asks the window at once', () => {
    let s = catchingUp(udpOnly, 0, 10).state
    s = stepReplica(udpOnly, s, { type: 'hint', at: 20, seq: 50 }).state
    for (let i = 0; i < 2 * SILENT_ROUNDS; i++) {
      const r = stepReplica(udpOnly, s, { type: 'timeout', at: 400 + 1000 * i })
      expect(r.decision.caughtUp).toBe(false)
      s = r.state
    }
    // the hint is gone (settled or expired): the claim comes
    s = stepReplica(udpOnly, s, { type: 'hint', at: 9000, seq: 0 }).state
    const r0 = stepReplica(udpOnly, s, { type: 'timeout', at: 10_000 })
    expect(r0.decision.caughtUp).toBe(true) // the silent rounds were counted meanwhile
    s = r0.state
    // at the live edge, a hint beyond the front: want-ahead at once
    const live: ReplicaState = { ...s, mode: 'live' }
    const r = stepReplica(udpOnly, live, { type: 'hint', at: 20_000, seq: s.front + 40 })
    expect(r.state.mode).toBe('catchup')
    expect(asked(r.decision.wants).length).toBe(128)
  })

  it('at the live edge: a small WANT after each pushed entry and every interval; a backlog switches back', () => {
    const live: ReplicaState = { ...initialReplica(5, cfg), mode: 'live', timer: 10_000 }
    const push = stepReplica(cfg, live, { type: 'appended', at: 15_000, count: 1 })
    expect(push.state.mode).toBe('live')
    expect(seqs(push.decision.wants, 0)).toEqual([[7, 8]])
    expect(push.decision.timerMs).toBe(10_000)
    // a second entry within retryMin: a backlog is coming, want-ahead again
    const backlog = stepReplica(cfg, push.state, { type: 'appended', at: 15_400, count: 1 })
    expect(backlog.state.mode).toBe('catchup')
    expect(seqs(backlog.decision.wants, 0)[0]).toEqual([9, 14]) // 8 was just asked: in flight
    // two entries at once also mean a backlog
    expect(stepReplica(cfg, push.state, { type: 'appended', at: 30_000, count: 2 }).state.mode).toBe('catchup')
    // the periodic WANT backs off up to the want interval
    const t = stepReplica(cfg, { ...live, timer: 2000 }, { type: 'timeout', at: 20_000 })
    expect(seqs(t.decision.wants, 0)).toEqual([[6, 7]])
    expect(t.decision.timerMs).toBe(4000)
  })

  it('stops asking at the last seq; a face that carries no WANT is skipped', () => {
    const last = 0xffffffff
    expect(seqs(stepReplica(cfg, initialReplica(last - 1, cfg), { type: 'start', at: 0 }).decision.wants, 0)).toEqual([[last, last]])
    expect(stepReplica(cfg, initialReplica(last, cfg), { type: 'start', at: 0 }).decision.wants).toEqual([])
    const c = { ...cfg, faces: [{ records: 0, window: 1 }, UDP] }
    const { decision } = stepReplica(c, initialReplica(0, c), { type: 'start', at: 0 })
    expect(decision.wants.length).toBeGreaterThan(0)
    expect(decision.wants.every((w) => w.face === 1)).toBe(true)
  })
})

describe('replica scheduler: properties', () => {
  it('is pure and keeps its invariants over any sequence of events', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant('appended' as const), dt: fc.integer({ min: 0, max: 3000 }), count: fc.integer({ min: 1, max: 70 }) }),
      fc.record({ type: fc.constant('timeout' as const), dt: fc.integer({ min: 0, max: 12_000 }), heard: fc.boolean(), queued: fc.boolean() }),
      fc.record({ type: fc.constant('hint' as const), dt: fc.integer({ min: 0, max: 1000 }), seq: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ type: fc.constant('received' as const), dt: fc.integer({ min: 0, max: 1000 }), ahead: fc.integer({ min: -5, max: 200 }) }),
      fc.record({ type: fc.constant('start' as const), dt: fc.constant(0) }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(event, { maxLength: 60 }), (front, evs) => {
        let s = Object.freeze(initialReplica(front, cfg))
        let at = 0
        for (const e of evs) {
          at += e.dt
          const ev: ReplicaEvent =
            e.type === 'appended'
              ? { type: 'appended', at, count: e.count }
              : e.type === 'timeout'
                ? { type: 'timeout', at, heard: e.heard, queued: e.queued }
                : e.type === 'hint'
                  ? { type: 'hint', at, seq: e.seq }
                  : e.type === 'received'
                    ? { type: 'received', at, upTo: s.front + e.ahead }
                    : { type: 'start', at }
          const a = stepReplica(cfg, s, ev)
          expect(stepReplica(cfg, s, ev)).toEqual(a) // same inputs, same outputs (and s is frozen)
          const perFace = new Map<number, number>()
          const base = Math.max(a.state.front, a.state.received)
          expect(a.state.received).toBeGreaterThanOrEqual(a.state.front)
          for (const w of a.decision.wants) {
            expect(w.from).toBeGreaterThan(a.state.front) // never asks for what it holds
            if (a.state.mode === 'catchup' && ev.type !== 'start') expect(w.from).toBeGreaterThan(base) // nor what is in the pipeline
            expect(w.to - w.from + 1).toBeLessThanOrEqual(cfg.faces[w.face]!.records)
            expect(w.to).toBeLessThanOrEqual(base + cfg.faces[w.face]!.window)
            perFace.set(w.face, (perFace.get(w.face) ?? 0) + w.to - w.from + 1)
          }
          // a decision asks at most a window per face (copies included: a few frames)
          for (const [f, n] of perFace) expect(n).toBeLessThanOrEqual(cfg.faces[f]!.window * Math.max(REPAIR_COPIES, HEAD_COPIES, PROBE_COPIES))
          if (a.decision.timerMs !== undefined) {
            expect(a.decision.timerMs).toBeGreaterThanOrEqual(Math.min(RTO_MIN_MS, cfg.retryMinMs))
            expect(a.decision.timerMs).toBeLessThanOrEqual(cfg.wantIntervalMs)
          }
          expect(a.state.askedAt.length).toBe(Math.max(0, a.state.requestedUpTo - a.state.front))
          // 'caught-up' only from a catch-up that delivered, after the silent rounds, with no hint ahead
          if (a.decision.caughtUp) {
            expect(s.mode).toBe('catchup')
            expect(s.gained).toBe(true)
            expect(a.state.silent).toBeGreaterThanOrEqual(SILENT_ROUNDS)
            expect(s.hinted > s.front).toBe(false)
          }
          s = Object.freeze(a.state)
        }
      }),
      { seed: 42, numRuns: 300 },
    )
  })
})
