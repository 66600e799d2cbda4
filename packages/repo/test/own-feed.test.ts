// "Never fork your own feed", the library part: the own feed's state (ok / missing / rewound /
// damaged) from the repairs a store reports, a marker that outlives the run, and repairLog.
import { appendFileSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  RECOVERY_FILE,
  clearRecoveryMarker,
  fsLogStore,
  memoryLogStore,
  ownFeedGuard,
  ownFeedStatus,
  readRecoveryMarker,
  repairLog,
  type LogRepair,
} from '../src/index.js'
import { cleanTempDirs, Feed, hex, tempDir, verifier } from './helpers.js'

cleanTempDirs()

const N = 77
/** A node directory whose own log holds N entries (and a peer's log), as peers hold them too. */
async function node() {
  const dir = tempDir()
  const me = new Feed(5)
  const peer = new Feed(6)
  const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
  await logs.create(me.fid)
  const entries = me.take(N)
  await logs.appendMany!(me.fid, 1, entries.map((e) => e.wire))
  await logs.create(peer.fid)
  for (const e of peer.take(3)) await logs.append(peer.fid, e.seq, e.wire)
  await logs.close()
  const path = (f: Feed) => join(dir, '_logs', `${hex(f.fid)}.log`)
  return { dir, me, peer, entries, path }
}

/** Opens the store the way a node would, with a guard on its own feed. */
async function open(dir: string, fid: Uint8Array) {
  const guard = ownFeedGuard(fid, { dir })
  const logs = await fsLogStore({ dir, verifier, onRepair: guard.onRepair })
  return { guard, logs }
}

describe('own feed status', () => {
  it('an intact log is ok', async () => {
    const { dir, me } = await node()
    const { guard, logs } = await open(dir, me.fid)
    const s = await guard.status(logs, { verify: true })
    expect(s).toMatchObject({ state: 'ok', safeToAppend: true, lost: 0, repairs: [] })
    expect(s.info?.frontSeq).toBe(N)
    await logs.close()
  })

  it('a log cut in the middle of entry 39 is rewound (39 entries lost), and stays so in the next run', async () => {
    const { dir, me, entries, path } = await node()
    truncateSync(path(me), 128 + 128 * 38 + 50)
    const run1 = await open(dir, me.fid)
    const s = await run1.guard.status(run1.logs)
    expect(s).toMatchObject({ state: 'rewound', safeToAppend: false, frontBefore: N, lost: N - 38 })
    expect(s.info?.frontSeq).toBe(38)
    expect(s.repairs.map((r) => r.kind)).toEqual(['partial-block', 'front-beyond-file'])
    expect(s.message).toContain('fork')
    await run1.logs.close()
    expect(readRecoveryMarker(dir)).toEqual({ feedID: hex(me.fid), reason: 'rewound', frontBefore: N, frontAfter: 38 })

    // the next run opens a log that looks intact: the marker still says what happened
    const run2 = await open(dir, me.fid)
    expect(run2.guard.repairs).toEqual([])
    expect(await run2.guard.status(run2.logs)).toMatchObject({ state: 'rewound', lost: N - 38, frontBefore: N })
    // a recovery from peers appends the old entries again: nothing is lost any more
    await run2.logs.appendMany!(me.fid, 39, entries.slice(38).map((e) => e.wire))
    expect(await run2.guard.status(run2.logs)).toMatchObject({ state: 'ok', safeToAppend: true, lost: 0 })
    await run2.logs.close()
    clearRecoveryMarker(dir)
    expect(existsSync(join(dir, RECOVERY_FILE))).toBe(false)
  })

  it('a deleted log is missing', async () => {
    const { dir, me, path } = await node()
    rmSync(path(me))
    const { guard, logs } = await open(dir, me.fid)
    expect(await guard.status(logs)).toMatchObject({ state: 'missing', safeToAppend: false, info: undefined })
    await logs.close()
  })

  it('a torn block of an unfinished append, or a rolled-forward one, is harmless: ok', async () => {
    const { dir, me, path } = await node()
    const next = me.plain()
    const block = new Uint8Array(128)
    block.set(next.wire, 8)
    appendFileSync(path(me), block) // complete, but the header does not count it: rolled forward
    appendFileSync(path(me), block.subarray(0, 40)) // and a torn one
    const { guard, logs } = await open(dir, me.fid)
    const s = await guard.status(logs)
    expect(s).toMatchObject({ state: 'ok', safeToAppend: true, lost: 0, frontBefore: undefined })
    expect(s.repairs.map((r) => r.kind).sort()).toEqual(['partial-block', 'roll-forward'])
    expect(s.info?.frontSeq).toBe(N + 1)
    expect(existsSync(join(dir, RECOVERY_FILE))).toBe(false)
    await logs.close()
  })

  it('a repair of another feed is not the own feed\'s business', async () => {
    const { dir, me, peer, path } = await node()
    truncateSync(path(peer), 128 + 128 + 3)
    const { guard, logs } = await open(dir, me.fid)
    await logs.info(peer.fid)
    expect(guard.repairs).toEqual([])
    expect((await guard.status(logs)).state).toBe('ok')
    await logs.close()
  })

  it('a changed byte in the middle: damaged when verified', async () => {
    const { dir, me, path } = await node()
    const bytes = readFileSync(path(me))
    bytes[128 + 128 * 19 + 8 + 100] = bytes[128 + 128 * 19 + 8 + 100]! ^ 1 // a signature byte of entry 20
    writeFileSync(path(me), bytes)
    const { guard, logs } = await open(dir, me.fid)
    expect((await guard.status(logs)).state).toBe('ok') // without a full check, nothing shows yet
    const s = await guard.status(logs, { verify: true })
    expect(s).toMatchObject({ state: 'damaged', safeToAppend: false, damage: { ok: false, seq: 20 } })
    await logs.close()
  })

  it('works with any LogStore (no directory, repairs handed in)', async () => {
    const me = new Feed(7)
    const logs = memoryLogStore({ verifier })
    expect((await ownFeedStatus(logs, me.fid)).state).toBe('missing')
    await logs.create(me.fid)
    for (const e of me.take(3)) await logs.append(me.fid, e.seq, e.wire)
    expect((await ownFeedStatus(logs, me.fid)).state).toBe('ok')
    const cut: LogRepair = { path: 'x', fid: me.fid, kind: 'front-beyond-file', frontBefore: 9, frontAfter: 3, bytesCut: 0 }
    expect(await ownFeedStatus(logs, me.fid, { repairs: [cut] })).toMatchObject({ state: 'rewound', lost: 6 })
  })

  it('a marker that is not one is STORE_CORRUPT (fail safe, never ignored)', async () => {
    const { dir, me } = await node()
    writeFileSync(join(dir, RECOVERY_FILE), '{"feedID": 1}')
    const { guard, logs } = await open(dir, me.fid)
    await expect(guard.status(logs)).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_CORRUPT' })
    await logs.close()
  })
})

describe('repairLog', () => {
  it('reports what was cut from a log cut mid-entry, and marks the own feed', async () => {
    const { dir, me, path } = await node()
    truncateSync(path(me), 128 + 128 * 38 + 50)
    const r = await repairLog({ dir, fid: me.fid, verifier, ownFeed: true })
    expect(r).toMatchObject({ found: true, frontBefore: N, frontAfter: 38, entriesLost: N - 38, bytesCut: 50, check: { ok: true, frontSeq: 38 } })
    expect(r.repairs.map((x) => x.kind)).toEqual(['partial-block', 'front-beyond-file'])
    expect(readRecoveryMarker(dir)).toMatchObject({ frontBefore: N, frontAfter: 38 })
  })

  it('an intact log: nothing cut; a missing log: not found', async () => {
    const { dir, me, peer, path } = await node()
    expect(await repairLog({ dir, fid: me.fid, verifier })).toMatchObject({ found: true, repairs: [], entriesLost: 0, bytesCut: 0, frontAfter: N, check: { ok: true } })
    rmSync(path(peer))
    expect(await repairLog({ dir, fid: peer.fid, verifier })).toMatchObject({ found: false, check: { ok: false, code: 'STORE_NOT_FOUND' } })
    expect(existsSync(join(dir, RECOVERY_FILE))).toBe(false)
  })

  it('a log damaged in the middle is cut back to its valid prefix', async () => {
    const { dir, me, path } = await node()
    const bytes = readFileSync(path(me))
    bytes[128 + 128 * 19 + 8] = bytes[128 + 128 * 19 + 8]! ^ 1 // the DMX of entry 20
    writeFileSync(path(me), bytes)
    const r = await repairLog({ dir, fid: me.fid, verifier })
    expect(r).toMatchObject({ frontBefore: N, frontAfter: 19, entriesLost: N - 19, bytesCut: 128 * (N - 19), check: { ok: true } })
    expect(readRecoveryMarker(dir)).toBeUndefined() // not the own feed: no marker
  })
})
