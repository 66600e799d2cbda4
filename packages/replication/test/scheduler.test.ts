// The replica scheduler alone: a pure state machine over time and events.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { initialReplica, stepReplica, type ReplicaEvent, type ReplicaState, type SchedulerConfig, type WantSpec } from '../src/scheduler.js'

const UDP = { records: 6, window: 128 }
const LORA = { records: 3, window: 3 }
const cfg: SchedulerConfig = { retryMinMs: 1000, wantIntervalMs: 10_000, faces: [UDP, LORA] }

/** Runs events from `state`, returning every decision. */
function run(c: SchedulerConfig, state: ReplicaState, events: ReplicaEvent[]) {
  const out = []
  for (const ev of events) {
    const r = stepReplica(c, state, ev)
    state = r.state
    out.push({ ...r.decision, state })
  }
  return out
}

const seqs = (wants: readonly WantSpec[], face: number) => wants.filter((w) => w.face === face).map((w) => [w.from, w.to])

describe('replica scheduler', () => {
  it('start: a want-ahead window per face, cut into frames of the face records; timer at retryMin', () => {
    const { state, decision } = stepReplica(cfg, initialReplica(10, cfg), { type: 'start', at: 0 })
    const udp = seqs(decision.wants, 0)
    expect(udp.length).toBe(Math.ceil(128 / 6))
    expect(udp[0]).toEqual([11, 16])
    expect(udp.at(-1)).toEqual([11 + 21 * 6, 138])
    expect(seqs(decision.wants, 1)).toEqual([[11, 13]]) // a LoRa face asks with one frame
    expect(state.requestedUpTo).toBe(138)
    expect(decision.timerMs).toBe(1000)
    expect(decision.caughtUp).toBe(false)
  })

  it('catching up: asks ahead only when half the largest window arrived, never re-asking what is in flight', () => {
    let s = stepReplica(cfg, initialReplica(0, cfg), { type: 'start', at: 0 }).state
    const first = stepReplica(cfg, s, { type: 'appended', at: 10, count: 63 })
    expect(first.decision.wants).toEqual([]) // 128 - 63 = 65 still in flight
    expect(first.decision.timerMs).toBe(1000)
    s = first.state
    const second = stepReplica(cfg, s, { type: 'appended', at: 20, count: 1 })
    // 128 - 64 = 64 ≤ 64: ask for 129 … 64 + 128 on the UDP face; the LoRa window is far behind
    expect(seqs(second.decision.wants, 0)[0]).toEqual([129, 134])
    expect(second.state.requestedUpTo).toBe(192)
    expect(seqs(second.decision.wants, 1)).toEqual([])
  })

  it('silence: probes of one frame per face from the front, backing off from retryMin to the want interval', () => {
    let s = stepReplica(cfg, initialReplica(5, cfg), { type: 'start', at: 0 }).state
    const timers: number[] = []
    for (let i = 0; i < 6; i++) {
      const r = stepReplica(cfg, s, { type: 'timeout', at: 1000 * i })
      expect(seqs(r.decision.wants, 0)).toEqual([[6, 11]])
      expect(seqs(r.decision.wants, 1)).toEqual([[6, 8]])
      expect(r.decision.caughtUp).toBe(false)
      timers.push(r.decision.timerMs!)
      s = r.state
    }
    expect(timers).toEqual([2000, 4000, 8000, 10_000, 10_000, 10_000])
  })

  it('a round that delivered and then nothing: caught up once, then the live rhythm', () => {
    let s = stepReplica(cfg, initialReplica(0, cfg), { type: 'start', at: 0 }).state
    s = stepReplica(cfg, s, { type: 'appended', at: 50, count: 5 }).state
    const t1 = stepReplica(cfg, s, { type: 'timeout', at: 1050 })
    expect(t1.decision.caughtUp).toBe(true)
    expect(seqs(t1.decision.wants, 0)).toEqual([[6, 7]]) // a live WANT: front+1 and front+2
    expect(t1.decision.timerMs).toBe(10_000)
    const t2 = stepReplica(cfg, t1.state, { type: 'timeout', at: 11_050 })
    expect(t2.decision.caughtUp).toBe(false) // only once
    // a pushed entry (long after the last append): still live, one small WANT, periodic timer
    const push = stepReplica(cfg, t2.state, { type: 'appended', at: 15_000, count: 1 })
    expect(push.state.live).toBe(true)
    expect(seqs(push.decision.wants, 0)).toEqual([[7, 8]])
    expect(push.decision.timerMs).toBe(10_000)
    // a second entry within retryMin: a backlog is coming, want-ahead again
    const backlog = stepReplica(cfg, push.state, { type: 'appended', at: 15_400, count: 1 })
    expect(backlog.state.live).toBe(false)
    expect(seqs(backlog.decision.wants, 0)[0]).toEqual([9, 14])
    expect(backlog.decision.timerMs).toBe(1000)
    // two entries at once also mean a backlog
    const two = stepReplica(cfg, push.state, { type: 'appended', at: 30_000, count: 2 })
    expect(two.state.live).toBe(false)
  })

  it('the first push right after catching up is not a backlog', () => {
    let s = stepReplica(cfg, initialReplica(0, cfg), { type: 'start', at: 0 }).state
    s = stepReplica(cfg, s, { type: 'appended', at: 900, count: 3 }).state
    s = stepReplica(cfg, s, { type: 'timeout', at: 1000 }).state // caught up at 1000
    const push = stepReplica(cfg, s, { type: 'appended', at: 1100, count: 1 }) // 200 ms after the last
    expect(push.state.live).toBe(true)
  })

  it('stops asking at the last seq', () => {
    const last = 0xffffffff
    const { decision } = stepReplica(cfg, initialReplica(last - 2, cfg), { type: 'start', at: 0 })
    expect(seqs(decision.wants, 0)).toEqual([[last - 1, last]])
    expect(stepReplica(cfg, initialReplica(last, cfg), { type: 'start', at: 0 }).decision.wants).toEqual([])
  })

  it('a face that carries no WANT (records 0) is skipped', () => {
    const c = { ...cfg, faces: [{ records: 0, window: 1 }, UDP] }
    const { decision } = stepReplica(c, initialReplica(0, c), { type: 'start', at: 0 })
    expect(decision.wants.every((w) => w.face === 1)).toBe(true)
  })

  it('is pure and keeps its invariants over any sequence of events (property)', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant('appended' as const), dt: fc.integer({ min: 0, max: 3000 }), count: fc.integer({ min: 1, max: 70 }) }),
      fc.record({ type: fc.constant('timeout' as const), dt: fc.integer({ min: 0, max: 12_000 }) }),
      fc.record({ type: fc.constant('start' as const), dt: fc.constant(0) }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(event, { maxLength: 60 }), (front, evs) => {
        let s = Object.freeze(initialReplica(front, cfg))
        let at = 0
        for (const e of evs) {
          at += e.dt
          const ev: ReplicaEvent = e.type === 'appended' ? { type: 'appended', at, count: e.count } : { type: e.type, at }
          const a = stepReplica(cfg, s, ev)
          expect(stepReplica(cfg, s, ev)).toEqual(a) // same inputs, same outputs (and s is frozen)
          for (const w of a.decision.wants) {
            expect(w.from).toBeGreaterThan(a.state.front) // never asks for what it holds
            expect(w.to - w.from + 1).toBeLessThanOrEqual(cfg.faces[w.face]!.records)
            expect(w.to).toBeLessThanOrEqual(a.state.front + cfg.faces[w.face]!.window)
            // catching up, an append never re-asks what is still in flight
            if (ev.type === 'appended' && !a.state.live) expect(w.from).toBeGreaterThan(s.requestedUpTo)
          }
          if (a.decision.timerMs !== undefined) {
            expect(a.decision.timerMs).toBeGreaterThanOrEqual(cfg.retryMinMs)
            expect(a.decision.timerMs).toBeLessThanOrEqual(cfg.wantIntervalMs)
          }
          if (a.decision.caughtUp) expect(s.progressed && !s.live).toBe(true)
          s = Object.freeze(a.state)
        }
      }),
      { seed: 42, numRuns: 300 },
    )
  })
})
