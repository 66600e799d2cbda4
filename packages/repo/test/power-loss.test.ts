// Durable appends under a simulated power loss. node:fs is wrapped: each fdatasync records the
// file's contents at its start as "on disk" once it completes. A power loss at any moment leaves,
// per 4 KiB page, either the page last synced or the page in the cache (each chosen at random), and
// either length: what the kernel may have written back by then. Every entry whose append resolved
// before the cut must be in the log reopened from that image, which must verify. Also: appends
// issued together share one sync, and a failed sync fails its appends and leaves the log usable.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mulberry32 } from '@tinyssb/core'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fsLogStore } from '../src/index.js'
import { cleanTempDirs, Feed, hex, tempDir, verifier } from './helpers.js'

const disk = vi.hoisted(() => ({
  /** Path → contents known to be on disk (set when a sync completes). */
  synced: new Map<string, Buffer>(),
  syncs: 0,
  /** Fail the next fdatasync with EIO. */
  failNext: false,
}))

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const pathOf = (fd: number): string => fs.readlinkSync(`/proc/self/fd/${fd}`)
  const wrapped = {
    ...fs,
    fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void {
      disk.syncs++
      if (disk.failNext) {
        disk.failNext = false
        setImmediate(() => cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })))
        return
      }
      const path = pathOf(fd)
      const image = fs.readFileSync(path)
      fs.fdatasync(fd, (err) => {
        if (!err) disk.synced.set(path, image)
        cb(err)
      })
    },
    fdatasyncSync(fd: number): void {
      fs.fdatasyncSync(fd)
      disk.synced.set(pathOf(fd), fs.readFileSync(pathOf(fd)))
    },
  }
  return { ...wrapped, default: wrapped }
})

cleanTempDirs()
const PAGE = 4096
const SEED = Number(process.env.TINYSSB_TEST_SEED ?? 7)
const haveProc = existsSync('/proc/self/fd')

/** What a power loss now may leave of `path`: per page the synced or the cached version, either length. */
function imageAfterPowerLoss(path: string, random: () => number): Buffer {
  const cached = readFileSync(path)
  const synced = disk.synced.get(path) ?? Buffer.alloc(0)
  const length = random() < 0.5 ? synced.length : cached.length
  const out = Buffer.alloc(length)
  for (let at = 0; at < length; at += PAGE) {
    const from = random() < 0.5 ? synced : cached // a page beyond it stays zeros
    if (at < from.length) from.copy(out, at, at, Math.min(at + PAGE, length, from.length))
  }
  return out
}

beforeEach(() => {
  disk.synced.clear()
  disk.syncs = 0
  disk.failNext = false
})

describe('durable fs store', () => {
  it.skipIf(!haveProc)('keeps every acknowledged entry through a power loss at any moment (seeded)', { timeout: 30_000 }, async () => {
    const random = mulberry32(SEED)
    const dir = tempDir()
    const feed = new Feed(9)
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true, durable: true })
    await logs.create(feed.fid)
    const path = realpathSync(join(dir, '_logs', `${hex(feed.fid)}.log`))
    disk.synced.set(path, readFileSync(path)) // create() syncs the new file (under its temporary name) and the directory
    const wires = new Map<number, string>()
    let acknowledged = 0
    const cuts: Array<{ image: Buffer; acknowledged: number }> = []
    const cut = (): void => void cuts.push({ image: imageAfterPowerLoss(path, random), acknowledged })
    const pending: Array<Promise<unknown>> = []
    let many: Promise<unknown> | undefined // appendMany checks before it writes: the next writes wait for it
    const track = (p: Promise<unknown>, last: number): Promise<unknown> => {
      const t = p.then(() => void (acknowledged = Math.max(acknowledged, last)))
      pending.push(t)
      return t
    }
    for (let round = 0; round < 25; round++) {
      await many
      // 1–6 single appends issued together, and maybe a batch after them; awaited now or later
      const n = 1 + Math.floor(random() * 6)
      for (let i = 0; i < n; i++) {
        const [e] = feed.take(1)
        wires.set(e!.seq, hex(e!.wire))
        track(logs.append(feed.fid, e!.seq, e!.wire), e!.seq)
      }
      if (random() < 0.5) {
        const batch = feed.take(2 + Math.floor(random() * 12))
        for (const e of batch) wires.set(e.seq, hex(e.wire))
        many = track(logs.appendMany!(feed.fid, batch[0]!.seq, batch.map((e) => e.wire)), batch[batch.length - 1]!.seq)
      }
      cut() // right after the writes, before their sync
      if (random() < 0.5) await new Promise((r) => setImmediate(r)) // a sync may be under way
      cut()
      if (random() < 0.6) await Promise.all(pending.splice(0))
      cut()
    }
    await Promise.all(pending)
    await logs.close()
    expect(acknowledged).toBe(feed.seq)
    expect(cuts.some((c) => c.acknowledged > 0 && c.acknowledged < feed.seq)).toBe(true)
    for (const [i, c] of cuts.entries()) {
      const at = tempDir()
      mkdirSync(join(at, '_logs'))
      writeFileSync(join(at, '_logs', `${hex(feed.fid)}.log`), c.image)
      const reopened = await fsLogStore({ dir: at, verifier })
      const info = await reopened.info(feed.fid)
      const replay = `TINYSSB_TEST_SEED=${SEED}, cut ${i}`
      expect(info?.frontSeq ?? 0, replay).toBeGreaterThanOrEqual(c.acknowledged)
      expect(await reopened.verify(feed.fid), replay).toMatchObject({ ok: true })
      for await (const e of reopened.entries(feed.fid)) expect(hex(e.wire), replay).toBe(wires.get(e.seq))
      await reopened.close()
    }
  })

  it.skipIf(!haveProc)('shares one sync between the appends issued together, and readers see entries once synced', async () => {
    const dir = tempDir()
    const feed = new Feed(10)
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true, durable: true })
    await logs.create(feed.fid)
    const entries = feed.take(40)
    disk.syncs = 0
    const all = Promise.all(entries.map((e) => logs.append(feed.fid, e.seq, e.wire)))
    // written, not yet on disk: not readable, not counted
    expect((await logs.info(feed.fid))!.frontSeq).toBe(0)
    expect(await logs.get(feed.fid, 1)).toBeUndefined()
    const infos = await all
    expect(disk.syncs).toBe(1)
    expect(infos.map((i) => i.frontSeq)).toEqual(entries.map(() => 40))
    expect((await logs.info(feed.fid))!.frontSeq).toBe(40)
    // one at a time, each waits for its own sync
    disk.syncs = 0
    for (const e of feed.take(3)) await logs.append(feed.fid, e.seq, e.wire)
    expect(disk.syncs).toBe(3)
    await logs.close()
  })

  it.skipIf(!haveProc)('a failed sync fails the appends it covers, cuts them off, and the log takes them again', async () => {
    const dir = tempDir()
    const feed = new Feed(11)
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true, durable: true })
    await logs.create(feed.fid)
    const first = feed.take(5)
    await logs.appendMany!(feed.fid, 1, first.map((e) => e.wire))
    const more = feed.take(5)
    disk.failNext = true
    await expect(logs.appendMany!(feed.fid, 6, more.map((e) => e.wire))).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_IO' })
    expect((await logs.info(feed.fid))!.frontSeq).toBe(5)
    expect(readFileSync(join(dir, '_logs', `${hex(feed.fid)}.log`)).length).toBe(128 * 6)
    const again = await logs.appendMany!(feed.fid, 6, more.map((e) => e.wire))
    expect(again).toMatchObject({ appended: 5, info: { frontSeq: 10 } })
    await logs.close()
    const reopened = await fsLogStore({ dir, verifier })
    expect(await reopened.verify(feed.fid)).toEqual({ ok: true, entries: 10, frontSeq: 10 })
    await reopened.close()
  })

  it.skipIf(!haveProc)('close waits for a sync under way and leaves the header on disk', async () => {
    const dir = tempDir()
    const feed = new Feed(12)
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true, durable: true })
    await logs.create(feed.fid)
    const e = feed.take(1)[0]!
    const appended = logs.append(feed.fid, 1, e.wire)
    await logs.close()
    await expect(appended).resolves.toMatchObject({ frontSeq: 1 })
    const path = realpathSync(join(dir, '_logs', `${hex(feed.fid)}.log`))
    // what is on disk counts the entry in its header: no roll-forward on the next open
    const at = tempDir()
    mkdirSync(join(at, '_logs'))
    writeFileSync(join(at, '_logs', `${hex(feed.fid)}.log`), disk.synced.get(path)!)
    const repairs: unknown[] = []
    const reopened = await fsLogStore({ dir: at, verifier, onRepair: (r) => repairs.push(r) })
    expect((await reopened.info(feed.fid))!.frontSeq).toBe(1)
    expect(repairs).toEqual([])
    await reopened.close()
  })
})
