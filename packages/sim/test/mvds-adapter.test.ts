// The MVDS adapters on the simulator: the real @tinyssb/mvds node on virtual time, registered by
// protocol name, its options checked like every scenario field, quiescence, the contact beacon.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodePayload } from '@tinyssb/mvds'
import { describe, expect, it } from 'vitest'
import { CONTACT_BEACON, linearCumulativeBackoff, mvdsAdapter, mvdsBatchAdapter, mvdsInteractiveAdapter } from '../src/adapters/mvds.js'
import { parseScenario, runScenario, runSeeds, ScenarioError } from '../src/index.js'
import { ADAPTERS, adapterFor, loadScenario } from '../src/node/index.js'
import { collect } from './helpers.js'

const pair = (protocol: string, options: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  parseScenario({
    name: 's1',
    protocol,
    protocol_options: options,
    ticks: 30,
    stop: 'end',
    nodes: [{ name: 'A' }, { name: 'B' }],
    media: [{ name: 'net', type: 'link', nodes: ['A', 'B'], latency: { constant: 1 } }],
    appends: [{ node: 'A', at: 1 }],
    replicate: { B: ['A'] },
    ...extra,
  })

const tags = (r: Awaited<ReturnType<typeof runScenario>>) => Object.fromEntries(Object.entries(r.per_tag).map(([t, x]) => [t, x.frames]))

describe('mvds adapters', () => {
  it('are registered as mvds, mvds-batch and mvds-interactive', () => {
    expect(ADAPTERS.get('mvds')).toBe(mvdsAdapter)
    expect(ADAPTERS.get('mvds-batch')).toBe(mvdsBatchAdapter)
    expect(ADAPTERS.get('mvds-interactive')).toBe(mvdsInteractiveAdapter)
    expect(adapterFor(pair('mvds-interactive', { backoff: 'bsp', epoch_ticks: 2, dedupe: false, batch_nodes: ['B'] }))).toBe(mvdsInteractiveAdapter)
  })

  it('S1 batch: MESSAGE then ACK, two payloads, then A is quiet', async () => {
    const trace = collect()
    const r = await runScenario(pair('mvds-batch', {}), mvdsBatchAdapter, { sinks: [trace.sink] })
    expect(r.converged).toBe(true)
    expect(tags(r)).toEqual({ message: 1, ack: 1 })
    expect(r.quiescence_ticks).toBe(3) // sent at 1, held at 2, ACK back at 3
    expect(trace.events.filter((e) => e.event === 'quiet' || e.event === 'busy').map((e) => [e.event, e.t])).toEqual([
      ['busy', 1],
      ['quiet', 3],
    ])
  })

  it('S1 interactive: OFFER, REQUEST, MESSAGE, ACK', async () => {
    const r = await runScenario(pair('mvds-interactive', {}), mvdsInteractiveAdapter)
    expect(r.converged).toBe(true)
    expect(tags(r)).toEqual({ offer: 1, request: 1, message: 1, ack: 1 })
    expect(r.quiescence_ticks).toBe(5)
  })

  it('stop "quiet" runs past convergence until the ACK has landed', async () => {
    const r = await runScenario(pair('mvds', {}, { stop: 'quiet', ticks: 100 }), mvdsAdapter)
    expect([r.convergence_ticks, r.quiescence_ticks, r.end_ticks]).toEqual([2, 3, 3])
    const converged = await runScenario(pair('mvds', {}, { stop: 'converged', ticks: 100 }), mvdsAdapter)
    expect([converged.quiescence_ticks, converged.end_ticks, converged.frames]).toEqual([null, 2, 1])
  })

  it('relay through C (A and B never online together) with constant backoff', async () => {
    const { scenario } = loadScenario('mvds-s3')
    const r = await runScenario({ ...scenario, protocolOptions: { backoff: 'constant' } }, mvdsBatchAdapter)
    expect(r.converged).toBe(true)
    expect(r.convergence_ticks).toBe(25) // C's send at 24 arrives as B comes online
  })

  it('a node coming online sends every peer the contact beacon, an empty payload', async () => {
    expect(decodePayload(CONTACT_BEACON)).toEqual({ acks: [], offers: [], requests: [], messages: [] })
    expect(decodePayload(CONTACT_BEACON, { numbering: 'rfc' })).toEqual({ acks: [], offers: [], requests: [], messages: [] })
    const { scenario } = loadScenario('mvds-s3')
    const trace = collect()
    await runScenario({ ...scenario, stop: 'end', ticks: 99 }, mvdsBatchAdapter, { sinks: [trace.sink] })
    const beacons = trace.events.filter((e) => e.event === 'tx' && e.tag === 'beacon').map((e) => `${e.t}:${e.from}>${e.to}`)
    // A comes online at 50, B at 25 and 75; C is always on and never beacons
    expect(beacons).toEqual(['25:B>A', '25:B>C', '50:A>B', '50:A>C', '75:B>A', '75:B>C'])
  })

  it('body_bytes pads the message body (48 bytes like a tinySSB entry)', async () => {
    const plain = await runScenario(pair('mvds-batch', {}), mvdsBatchAdapter)
    const padded = await runScenario(pair('mvds-batch', { body_bytes: 48 }), mvdsBatchAdapter)
    expect(padded.converged).toBe(true)
    expect(padded.per_tag.message!.bytes - plain.per_tag.message!.bytes).toBe(48 - 'A#1'.length)
  })

  it('linear-cumulative is the 2019 Go schedule: SendEpoch += epoch + 2·count', () => {
    // sent in epoch 1 (count 1) → due 4; in 4 (count 2) → 12; in 12 (count 3) → 30
    expect([linearCumulativeBackoff(1, 1, Math.random), linearCumulativeBackoff(2, 4, Math.random), linearCumulativeBackoff(3, 12, Math.random)]).toEqual([4, 12, 30])
  })

  it('is deterministic per seed, and converges over seeds with loss', async () => {
    const s = pair('mvds-batch', { backoff: 'constant' }, { ticks: 2000, stop: 'converged', nodes: [{ name: 'A' }, { name: 'B', receive_reliability: 0.3 }] })
    const a = await runScenario(s, mvdsBatchAdapter, { seed: 7 })
    const b = await runScenario(s, mvdsBatchAdapter, { seed: 7 })
    expect(b.frames).toBe(a.frames)
    expect(b.convergence_ticks).toBe(a.convergence_ticks)
    const runs = await runSeeds(s, mvdsBatchAdapter, { seeds: 20 })
    expect(runs.every((r) => r.converged)).toBe(true)
    expect(new Set(runs.map((r) => r.convergence_ticks)).size).toBeGreaterThan(1)
  })

  it('refuses unknown or bad options with the field named', () => {
    const bad = (protocol: string, options: Record<string, unknown>) => {
      try {
        adapterFor(pair(protocol, options))
      } catch (err) {
        expect(err).toBeInstanceOf(ScenarioError)
        expect((err as Error).message.split('\n')).toHaveLength(1)
        return `${(err as ScenarioError).path}: ${(err as ScenarioError).detail}`
      }
      throw new Error('accepted')
    }
    expect(bad('mvds-batch', { backof: 'linear' })).toMatch(/^protocol_options\.backof: unknown option \(expected one of .*backoff/)
    expect(bad('mvds-batch', { backoff: 'fast' })).toMatch(/^protocol_options\.backoff: expected one of constant, linear, exponential, status-go, bsp, linear-cumulative, got "fast"$/)
    expect(bad('mvds-batch', { mode: 'interactive' })).toMatch(/^protocol_options\.mode: the protocol mvds-batch is batch mode/)
    expect(bad('mvds', { mode: 'push' })).toMatch(/^protocol_options\.mode: expected 'batch' or 'interactive'/)
    expect(bad('mvds-interactive', { epoch_ticks: 0 })).toMatch(/^protocol_options\.epoch_ticks: expected a number of ticks > 0, got 0$/)
    expect(bad('mvds-interactive', { reset_on_contact: 'yes' })).toMatch(/^protocol_options\.reset_on_contact: expected true or false/)
    expect(bad('mvds-interactive', { batch_nodes: 'C' })).toMatch(/^protocol_options\.batch_nodes: expected a list of node names/)
    expect(bad('mvds-interactive', { body_bytes: 8 })).toMatch(/^protocol_options\.body_bytes: expected an integer 16\.\.1024/)
  })

  it('a scenario file with a bad option is one error line naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvds-scenario-'))
    const file = join(dir, 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({
        protocol: 'mvds-batch',
        protocol_options: { dedupe: 1 },
        ticks: 10,
        nodes: [{ name: 'A' }, { name: 'B' }],
        media: [{ type: 'link', nodes: ['A', 'B'] }],
        replicate: { B: ['A'] },
      }),
    )
    expect(() => loadScenario(file)).toThrow(`scenario ${file}: protocol_options.dedupe: expected true or false, got 1`)
  })
})
