// Determinism: two nodes driven only by core's fakeClock (no real timer, no real macrotask)
// replicate a 200-entry log over a lossy memory hub; two runs with the same seed send the same
// frames, in the same order, at the same virtual times, to the same peers.
import { createHash } from 'node:crypto'
import { deriveSeed, fakeClock, mulberry32, type Face, type FakeClock } from '@tinyssb/core'
import { toHex } from '@tinyssb/packet'
import { memoryHub } from '@tinyssb/testkit'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createNode, type TinyNode } from '../src/index.js'
import { produce, signerFor, stores } from './helpers.js'

const N = 200

/** A face that writes every frame it sends into `log` (time, face, destination, bytes). */
function recording(face: Face, log: string[], clock: FakeClock): Face {
  return {
    name: face.name,
    mtu: face.mtu,
    addressable: face.addressable ?? false,
    send(frame, to) {
      log.push(`${clock.now()} ${face.name}>${to ?? '*'} ${toHex(frame)}`)
      return to === undefined ? face.send(frame) : face.send(frame, to)
    },
    onFrame: (h) => face.onFrame(h),
    close: () => face.close(),
  }
}

/** Lets promise chains (store writes, sends) finish: microtasks only, no macrotask. */
async function settle(nodes: TinyNode[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await Promise.all(nodes.map((n) => n.idle()))
    for (let k = 0; k < 20; k++) await Promise.resolve()
  }
}

/** Alternates clock steps and microtask flushing until `done` or `maxMs` of virtual time. */
async function drive(clock: FakeClock, nodes: TinyNode[], done: () => boolean, maxMs: number, stepMs = 5): Promise<boolean> {
  for (let t = 0; t <= maxMs; t += stepMs) {
    await settle(nodes)
    if (done()) return true
    clock.advance(stepMs)
  }
  return done()
}

async function run(seed: number) {
  const clock = fakeClock()
  const hub = memoryHub({ seed, clock, loss: 0.15, duplicate: 0.05, reorder: 0.1, delayMs: [1, 30] })
  const log: string[] = []
  const a = stores()
  const b = stores()
  const signer = signerFor(50) // real ed25519 (node:crypto)
  const fid = signer.publicKey
  await produce(a.logs, signer, N)
  await b.logs.create(fid)
  const timing = { retryMinMs: 200, wantIntervalMs: 2000 }
  const nodeA = createNode({ ...a, faces: [recording(hub.face('A'), log, clock)], clock, random: mulberry32(deriveSeed(seed, 'A')), ownFeeds: [fid], ...timing })
  const nodeB = createNode({ ...b, faces: [recording(hub.face('B'), log, clock)], clock, random: mulberry32(deriveSeed(seed, 'B')), ...timing })
  await nodeA.start()
  await nodeB.start()
  const ok = await drive(clock, [nodeA, nodeB], () => nodeB.front(fid) === N, 60_000)
  await nodeA.stop()
  await nodeB.stop()
  await hub.close()
  const replicated = toHex((await b.logs.get(fid, N)) ?? new Uint8Array()) === toHex((await a.logs.get(fid, N))!)
  return { ok, replicated, frames: log.length, served: nodeA.stats.entriesServed, sha256: createHash('sha256').update(log.join('\n')).digest('hex'), endedAt: clock.now() }
}

describe('determinism under the fake clock', () => {
  beforeEach(() => {
    // Real timers are replaced by ones that never fire: a node that needed a real timer or
    // macrotask would stall here, and one that scheduled any would leave it counted.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('two runs with the same seed send the same frames; another seed sends others', async () => {
    const first = await run(7)
    expect(vi.getTimerCount()).toBe(0)
    const second = await run(7)
    const other = await run(8)
    expect(first.ok).toBe(true)
    expect(first.replicated).toBe(true)
    expect(first.served).toBeGreaterThanOrEqual(N) // every entry at least once (bundled: fewer frames)
    expect(first.frames).toBeGreaterThan(first.served / 11)
    expect(second).toEqual(first)
    expect(other.ok).toBe(true)
    expect(other.sha256).not.toBe(first.sha256)
  }, 30_000)
})
