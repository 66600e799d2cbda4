// The start-up scan for incomplete sidechains: it asks the store for chain20 entries only
// (entriesOfType) and falls back to entries() for a store without it; a log that cannot be read is
// skipped, never the whole scan; a log whose chain overflowed the requester while it was read is
// read again; a log whose replica caught up is scanned next; the scan pauses after a bounded amount
// of work, logs without entries included, and rests three times as long as it worked.
import type { LogStore } from '@tinyssb/packet'
import { StoreError } from '@tinyssb/repo'
import { fakeClock, memoryHub } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import type { BlobRequester } from '../src/blob-requests.js'
import { ChainScanner } from '../src/blob-scan.js'
import type { NodeContext } from '../src/context.js'
import { bkey } from '../src/keys.js'
import { createNode } from '../src/index.js'
import { appendChains, missingBlobs } from './chain-helpers.js'
import { flush, produce, runUntil, signerFor, stores } from './helpers.js'

/** A view of `logs` that counts calls, optionally without entriesOfType or failing for one feed. */
function spied(logs: LogStore, opts: { typed?: boolean; broken?: Uint8Array } = {}) {
  const calls = { entries: 0, entriesOfType: 0 }
  const fail = (fid: Uint8Array) => {
    if (opts.broken && bkey(fid) === bkey(opts.broken)) throw new StoreError('STORE_CORRUPT', 'damaged on purpose')
  }
  const view: LogStore = {
    create: (fid, o) => logs.create(fid, o),
    info: (fid) => logs.info(fid),
    get: (fid, seq) => logs.get(fid, seq),
    append: (fid, seq, wire) => logs.append(fid, seq, wire),
    appendMany: (fid, seq, wires) => logs.appendMany!(fid, seq, wires),
    async *entries(fid, from) {
      calls.entries++
      fail(fid)
      yield* logs.entries(fid, from)
    },
    feeds: () => logs.feeds(),
    close: () => logs.close(),
  }
  if (opts.typed !== false) {
    view.entriesOfType = async function* (fid, type, from) {
      calls.entriesOfType++
      fail(fid)
      yield* logs.entriesOfType!(fid, type, from)
    }
  }
  return { view, calls }
}

/** A holder of a log whose blobs are missing, beside `plain` logs of plain entries; the author holds the blobs. */
async function fixture(plain: number) {
  const a = stores()
  const signer = signerFor(80)
  const fid = signer.publicKey
  await produce(a.logs, signer, 1)
  const chains = await appendChains(a.logs, a.blobs, signer, 3, 300)
  const b = stores()
  const others: Uint8Array[] = [] // listed before the log with chains
  for (let i = 0; i < plain; i++) {
    const s = signerFor(81 + i)
    await produce(b.logs, s, 3)
    others.push(s.publicKey)
  }
  await b.logs.create(fid)
  for (let seq = 1; seq <= 4; seq++) await b.logs.append(fid, seq, (await a.logs.get(fid, seq))!)
  return { a, b, fid, chains, others }
}

async function run(f: Awaited<ReturnType<typeof fixture>>, logs: LogStore) {
  const clock = fakeClock()
  const hub = memoryHub({ seed: 81, clock })
  const nodeA = createNode({ ...f.a, faces: [hub.face('A')], clock, ownFeeds: [f.fid] })
  const nodeB = createNode({ logs, blobs: f.b.blobs, faces: [hub.face('B')], clock })
  await nodeA.start()
  await nodeB.start()
  const done = await runUntil(clock, () => nodeB.stats.blobsStored === 9 && nodeB.lag(f.fid)?.incompleteChains === 0, 30_000, 20)
  await runUntil(clock, () => false, 1_000, 20) // the scan of the other logs ends
  await nodeA.stop()
  await nodeB.stop()
  return { done, missing: await missingBlobs(f.b.blobs, f.chains) }
}

describe('start-up chain scan', () => {
  it('asks the store for the chain20 entries of each log (entriesOfType), not for every entry', async () => {
    const f = await fixture(20)
    expect(await missingBlobs(f.b.blobs, f.chains)).toBe(9)
    const { view, calls } = spied(f.b.logs)
    expect(await run(f, view)).toEqual({ done: true, missing: 0 })
    expect(calls.entriesOfType).toBe(21)
    expect(calls.entries).toBe(0)
  })

  it('reads every entry of a store without entriesOfType, with the same result', async () => {
    const f = await fixture(5)
    const { view, calls } = spied(f.b.logs, { typed: false })
    expect(await run(f, view)).toEqual({ done: true, missing: 0 })
    expect(calls.entries).toBe(6)
  })

  it.each([true, false])('skips a log that cannot be read and scans the others (entriesOfType: %s)', async (typed) => {
    const f = await fixture(5)
    const broken = f.others[0]!
    const { view, calls } = spied(f.b.logs, { typed, broken })
    expect(await run(f, view)).toEqual({ done: true, missing: 0 })
    expect(typed ? calls.entriesOfType : calls.entries).toBe(6)
  })
})

describe('ChainScanner', () => {
  /** A requester stub that counts what the scanner holds open and records the chains checked. */
  function requesterStub() {
    const open = new Map<string, number>()
    const stub = {
      checked: [] as string[],
      full: false,
      onRoom: undefined as (() => void) | undefined,
      onOverflow: undefined as ((fidKey: string) => void) | undefined,
      onGated: undefined as ((fidKey: string) => void) | undefined,
      onCheck: undefined as ((fidKey: string) => void) | undefined,
      open: (k: string) => void open.set(k, (open.get(k) ?? 0) + 1),
      close: (k: string) => void open.set(k, open.get(k)! - 1),
      async checkNow(k: string, payload48: Uint8Array) {
        stub.checked.push(`${k.length}:${payload48.length}`)
        stub.onCheck?.(k)
      },
      held: () => [...open.values()].reduce((a, b) => a + b, 0),
    }
    return stub
  }

  it('reads a log again when one of its chains overflowed the requester while it was read', async () => {
    const b = stores()
    const signer = signerFor(90)
    await produce(b.logs, signer, 1)
    await appendChains(b.logs, undefined, signer, 3, 300)
    const clock = fakeClock()
    const requester = requesterStub()
    const scanner = new ChainScanner({ logs: b.logs, clock } as unknown as NodeContext, requester as unknown as BlobRequester, 1)
    let overflowed = false
    requester.onCheck = (k) => {
      if (overflowed) return
      overflowed = true
      requester.onOverflow!(k) // an appended chain of this log found the requester full
    }
    await scanner.start()
    for (let i = 0; i < 50 && (scanner.pending > 0 || requester.held() > 0); i++) {
      await flush()
      clock.advance(1)
    }
    expect(scanner.pending).toBe(0)
    expect(requester.held()).toBe(0)
    expect(requester.checked.length).toBe(6) // 3 chains, read twice
  })

  it('pauses after a bounded amount of work, logs without entries included', async () => {
    const b = stores()
    for (let i = 0; i < 40; i++) await produce(b.logs, signerFor(100 + i), 1)
    const clock = fakeClock()
    const requester = requesterStub()
    const scanner = new ChainScanner({ logs: b.logs, clock } as unknown as NodeContext, requester as unknown as BlobRequester, 64)
    await scanner.start()
    await flush()
    // 64 units of work per turn, 8 per log: 8 logs per clock turn
    expect(scanner.pending).toBe(32)
    let turns = 0
    while (scanner.pending > 0 && turns < 20) {
      clock.advance(1)
      await flush()
      turns++
    }
    expect(turns).toBe(4)
    expect(requester.held()).toBe(0)
  })

  it('scans a log whose replica caught up (and waits for the scan) before the others', async () => {
    const b = stores()
    const fids: Uint8Array[] = []
    for (let i = 0; i < 40; i++) fids.push((await produce(b.logs, signerFor(100 + i), 1))[0]!.fid)
    const clock = fakeClock()
    const requester = requesterStub()
    const order: string[] = []
    requester.close = ((close) => (k: string) => {
      order.push(k)
      close(k)
    })(requester.close)
    const scanner = new ChainScanner({ logs: b.logs, clock } as unknown as NodeContext, requester as unknown as BlobRequester, 64)
    await scanner.start()
    await flush()
    expect(order.length).toBe(8)
    const last = bkey(fids[39]!)
    requester.onGated!(last)
    requester.onGated!(last) // twice: still scanned once
    requester.onGated!(bkey(fids[0]!)) // scanned already: nothing to do
    clock.advance(1)
    await flush()
    expect(order.slice(8, 10)).toEqual([last, bkey(fids[8]!)])
    for (let i = 0; i < 10 && scanner.pending > 0; i++) {
      clock.advance(1)
      await flush()
    }
    expect(order.length).toBe(40)
    expect(new Set(order).size).toBe(40)
    expect(requester.held()).toBe(0)
  })

  it('rests three times as long as a turn of work took (on the node clock)', async () => {
    const b = stores()
    for (let i = 0; i < 16; i++) await produce(b.logs, signerFor(140 + i), 1)
    const clock = fakeClock()
    // each log takes 1 ms of (fake) time to read
    const logs: LogStore = Object.create(b.logs, {
      entriesOfType: {
        value: async function* () {
          clock.advance(1)
        },
      },
    })
    const requester = requesterStub()
    const scanner = new ChainScanner({ logs, clock } as unknown as NodeContext, requester as unknown as BlobRequester, 64)
    await scanner.start()
    await flush()
    expect(scanner.pending).toBe(8) // a turn: 8 logs, 8 ms
    clock.advance(23)
    await flush()
    expect(scanner.pending).toBe(8) // resting 24 ms
    clock.advance(1)
    await flush()
    expect(scanner.pending).toBe(0)
  })
})
