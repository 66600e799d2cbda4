// The MVDS issue's scenarios S1, S2, S3, S5 and S6 on the real @tinyssb/mvds node, over many seeds:
// exact payload counts, the PoC's geometric delivery and quiescence, the relay question with each
// backoff policy (and why linear misses B's window), the Go simulator's set-up with de-duplication
// off and on, and catch-up against tinySSB. Figures and their reading: docs/mvds-vs-tinyssb.md.
import { describe, expect, it } from 'vitest'
import { mvdsBatchAdapter, mvdsInteractiveAdapter } from '../src/adapters/mvds.js'
import { tinyssbAdapter } from '../src/adapters/tinyssb.js'
import { runSeeds, summarize, type ProtocolAdapter, type RunResult, type Scenario } from '../src/index.js'
import { loadScenario } from '../src/node/index.js'

const SEEDS = 200
const scenario = (name: string, protocol?: string, options?: Record<string, unknown>): Scenario => {
  const s = loadScenario(name).scenario
  return { ...s, protocol: protocol ?? s.protocol, protocolOptions: options ?? s.protocolOptions }
}
const run = (s: Scenario, adapter: ProtocolAdapter, seeds = SEEDS): Promise<RunResult[]> => runSeeds(s, adapter, { seeds })
const frames = (r: RunResult) => Object.fromEntries(Object.entries(r.per_tag).map(([t, x]) => [t, x.frames]))
const near = (x: number, expected: number, tolerance = 0.15) => expect(Math.abs(x - expected) / expected, `${x} vs ${expected}`).toBeLessThanOrEqual(tolerance)

describe('S1 sanity: A↔B lossless, latency 1', () => {
  it('batch takes exactly 2 payloads (MESSAGE, ACK) and A has no state left', async () => {
    for (const r of await run(scenario('mvds-s1'), mvdsBatchAdapter)) {
      expect(frames(r)).toEqual({ message: 1, ack: 1 })
      expect([r.convergence_ticks, r.quiescence_ticks]).toEqual([2, 3]) // held at 2; ACK in at 3, every node quiet
    }
  })

  it('interactive takes exactly 4 (OFFER, REQUEST, MESSAGE, ACK)', async () => {
    for (const r of await run(scenario('mvds-s1', 'mvds-interactive', {}), mvdsInteractiveAdapter)) {
      expect(frames(r)).toEqual({ offer: 1, request: 1, message: 1, ack: 1 })
      expect([r.convergence_ticks, r.quiescence_ticks]).toEqual([4, 5])
    }
  })
})

describe("S2 the PoC's first case: receive reliability 0.1 at A and B, constant retransmission", () => {
  // The medians of these discrete distributions need ~1000 seeds to settle within ±15 % (with 200,
  // the sample median of geometric(0.1) lands on 5 as often as on 7).
  it('delivery ~ geometric(0.1); quiescence ~ geometric(0.01) (MESSAGE and its ACK both landing)', async () => {
    const s = scenario('mvds-s2')
    const results = await run(s, mvdsBatchAdapter, 1000)
    const sum = summarize(s, results)
    expect(sum.converged).toBe(1000)
    // sent every tick from the append (tick 1), held one tick later: latency = the number of tries
    near(sum.latency_ticks!.median, 7) // ⌈ln 0.5 / ln 0.9⌉
    near(sum.latency_ticks!.mean, 10) // 1 / 0.1
    near(sum.latency_ticks!.p90, 22) // ⌈ln 0.1 / ln 0.9⌉
    // A's state empties when an ACK lands; B ACKs each copy it gets: 2 + geometric(0.1 · 0.1) ticks
    near(sum.quiescence_ticks!.median, 69)
    near(sum.quiescence_ticks!.mean, 100)
    for (const r of results) expect(r.quiescence_ticks!).toBeGreaterThan(r.convergence_ticks!)
  }, 60_000)
})

describe('S3 relay: A and B online 5 ticks in 50 at phases 0 and 25, C always on', () => {
  const relay = (options: Record<string, unknown>, seeds = SEEDS) => run(scenario('mvds-s3', 'mvds-batch', options), mvdsBatchAdapter, seeds)
  const convergence = async (options: Record<string, unknown>, seeds = SEEDS) => [...new Set((await relay(options, seeds)).map((r) => r.convergence_ticks))]

  it('constant backoff: C retries every tick and B holds it the tick B comes online (25)', async () => {
    expect(await convergence({ backoff: 'constant' })).toEqual([25])
  })

  it("linear (epoch + 2·count): C's retries at 22 and 32 straddle B's window [25, 30): B holds it at 75", async () => {
    // C gets it at 2 and sends at 2, 4, 8, 14, 22, 32, 44, 58, 74 (gaps 2·count): the gap passes the
    // 5-tick window after 5 tries. The "~27" holds for constant, and for linear only with
    // reset on contact and a contact beacon (below).
    expect(await convergence({ backoff: 'linear' })).toEqual([75])
  })

  it("doubling backoff misses B's windows for hundreds of ticks; reset on contact alone does not help", async () => {
    const [doubling] = await convergence({ backoff: 'exponential' })
    expect(doubling).toBeGreaterThanOrEqual(300)
    // B has nothing to send, so C never hears from B and never resets
    expect(await convergence({ backoff: 'exponential', reset_on_contact: true })).toEqual([doubling])
  }, 60_000)

  it('reset on contact with the contact beacon fixes it: B announces itself at 25, C sends at 26, B holds it at 27', async () => {
    expect(await convergence({ backoff: 'exponential', reset_on_contact: true, contact_beacon: true })).toEqual([27])
    expect(await convergence({ backoff: 'linear', reset_on_contact: true, contact_beacon: true })).toEqual([27])
  })

  it('never without C', async () => {
    const results = await run({ ...scenario('mvds-s3-no-c'), ticks: 1000 }, mvdsBatchAdapter, SEEDS) // 20 periods
    for (const r of results) expect([r.converged, r.delivered, r.end_ticks]).toEqual([false, 0, 1000])
  }, 60_000)
})

describe("S5 the Go simulator's defaults: 90 % send loss, 2 interactive + 1 batch, linear backoff, 600 epochs", () => {
  it('de-duplication off (Go) keeps duplicate state: more bytes on air than with it on; latencies of minutes', async () => {
    const seeds = 40 // ~0.1 s a seed; the documented figures use 200 (tinyssb sim compare --seeds 200)
    const on = await run(scenario('mvds-s5'), mvdsInteractiveAdapter, seeds)
    const off = await run(scenario('mvds-s5', 'mvds-interactive', { batch_nodes: ['C'], backoff: 'linear', dedupe: false }), mvdsInteractiveAdapter, seeds)
    const share = (rs: RunResult[]) => rs.reduce((n, r) => n + r.delivered, 0) / rs.reduce((n, r) => n + r.pairs, 0)
    const s5 = scenario('mvds-s5')
    const [a, b] = [summarize(s5, on), summarize(s5, off)]
    expect(share(on)).toBeGreaterThan(0.4)
    expect(share(off)).toBeGreaterThan(0.4)
    expect(b.bytes!.median).toBeGreaterThan(1.3 * a.bytes!.median)
    for (const x of [a, b]) {
      expect(x.latency_ticks!.median).toBeGreaterThan(60) // over a minute (epochs of 1 s)
      expect(x.latency_ticks!.median).toBeLessThan(300) // the Go team's "~5 minutes" is about the P90
    }
  }, 60_000)
})

describe('S6 catch-up: A appends 100 while B is offline; B online 20 in 100 ticks, 20 % loss', () => {
  it('MVDS batch catches up within B first window with reset on contact; backoff trades frames for time', async () => {
    const seeds = 50
    const s6 = (options: Record<string, unknown>) => run(scenario('mvds-s6', 'mvds-batch', options), mvdsBatchAdapter, seeds)
    const constant = summarize(scenario('mvds-s6'), await s6({ backoff: 'constant' }))
    const linear = summarize(scenario('mvds-s6'), await s6({ backoff: 'linear' }))
    const beacon = summarize(scenario('mvds-s6'), await s6({ backoff: 'exponential', reset_on_contact: true, contact_beacon: true }))
    for (const x of [constant, linear, beacon]) expect(x.converged).toBe(seeds)
    expect(beacon.catchup_ticks!.median).toBeLessThan(20)
    expect(constant.frames!.median).toBeGreaterThan(3 * linear.frames!.median) // every message every tick while B is away
    const tinyssb = summarize(scenario('mvds-s6'), await run(scenario('mvds-s6', 'tinyssb', {}), tinyssbAdapter, 20))
    expect(tinyssb.converged).toBe(20)
  }, 60_000)
})
