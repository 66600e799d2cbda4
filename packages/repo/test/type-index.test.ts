// The file store's entry-type index (<node dir>/_logs.types): written on close beside _logs (whose
// listing the Python original reads stays logs only), reused while a log's header is unchanged, read
// on from the indexed front after the log grew, dropped for a log cut back and rewritten, ignored
// when damaged, never written by a read-only store; a log with an interrupted append is repaired
// first.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ENTRY_TYPE, type Entry } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { fsLogStore, TYPE_INDEX_FILE, type FsLogStore } from '../src/index.js'
import { cleanTempDirs, collect, Feed, hex, tempDir, utf8, verifier } from './helpers.js'

cleanTempDirs()

const logPath = (dir: string, fid: Uint8Array): string => join(dir, '_logs', `${hex(fid)}.log`)
const indexPath = (dir: string): string => join(dir, TYPE_INDEX_FILE)
const open = (dir: string, readOnly = false): Promise<FsLogStore> => fsLogStore({ dir, verifier, createIfMissing: !readOnly, readOnly })
const chainSeqs = async (logs: FsLogStore, fid: Uint8Array): Promise<number[]> => (await collect(logs.entriesOfType(fid, ENTRY_TYPE.CHAIN20))).map((e) => e.seq)

/** Appends entries to `f`'s log: 'p' plain, 'c' chain20, one letter per entry. */
async function write(logs: FsLogStore, f: Feed, kinds: string): Promise<Entry[]> {
  if (!(await logs.info(f.fid))) await logs.create(f.fid)
  const out: Entry[] = []
  for (const k of kinds) {
    const e = f.advance(k === 'c' ? f.chain(utf8(`chain ${f.seq + 1} `.repeat(20))).entry : f.plain())
    await logs.append(f.fid, e.seq, e.wire)
    out.push(e)
  }
  return out
}

/** Sets the type byte of entry `seq` in the file, behind the store's back (header unchanged). */
function setTypeByte(dir: string, fid: Uint8Array, seq: number, typ: number): void {
  const fd = openSync(logPath(dir, fid), 'r+')
  writeSync(fd, Uint8Array.of(typ), 0, 1, 128 * seq + 8 + 7)
  closeSync(fd)
}

describe('entry-type index of the file store', () => {
  it('is written beside _logs on close and answers while the log header is unchanged', async () => {
    const dir = tempDir()
    const f = new Feed(21)
    const g = new Feed(22)
    let logs = await open(dir)
    await write(logs, f, 'pcppc')
    await write(logs, g, 'ppp')
    expect(await chainSeqs(logs, f.fid)).toEqual([2, 5])
    expect(await chainSeqs(logs, g.fid)).toEqual([])
    await logs.close()
    expect(readdirSync(join(dir, '_logs')).sort()).toEqual([`${hex(f.fid)}.log`, `${hex(g.fid)}.log`].sort())
    expect(readdirSync(dir).sort()).toEqual(['_logs', TYPE_INDEX_FILE])
    const written = readFileSync(indexPath(dir))
    expect(written.indexOf(Buffer.from(f.fid))).toBeGreaterThan(0)
    expect(written.indexOf(Buffer.from(g.fid))).toBeGreaterThan(0)
    // the blocks are not read: a type byte changed behind the store's back goes unseen
    setTypeByte(dir, f.fid, 3, ENTRY_TYPE.CHAIN20)
    setTypeByte(dir, g.fid, 1, ENTRY_TYPE.CHAIN20)
    logs = await open(dir)
    expect(await chainSeqs(logs, f.fid)).toEqual([2, 5])
    expect(await chainSeqs(logs, g.fid)).toEqual([])
    const wires = await collect(logs.entriesOfType(f.fid, ENTRY_TYPE.CHAIN20))
    expect(hex(wires[1]!.wire)).toBe(hex((await logs.get(f.fid, 5))!))
    await logs.close()
    expect(readFileSync(indexPath(dir))).toEqual(written) // nothing changed: not rewritten
  })

  it('reads only the new entries of a log that grew, and the whole log when it was rewritten', async () => {
    const dir = tempDir()
    const f = new Feed(23)
    let logs = await open(dir)
    await write(logs, f, 'pcp')
    expect(await chainSeqs(logs, f.fid)).toEqual([2])
    await write(logs, f, 'ppc')
    // grown: seq 1..3 from the index (a changed type byte there goes unseen), 4..6 read
    setTypeByte(dir, f.fid, 1, ENTRY_TYPE.CHAIN20)
    expect(await chainSeqs(logs, f.fid)).toEqual([2, 6])
    setTypeByte(dir, f.fid, 1, ENTRY_TYPE.PLAIN48)
    await logs.close()
    // the same feed written again with other entries (same front seq, other front mid)
    const h = new Feed(23)
    unlinkSync(logPath(dir, f.fid))
    logs = await open(dir)
    await write(logs, h, 'cppppp')
    expect(await chainSeqs(logs, f.fid)).toEqual([1])
    // and rewritten longer than indexed: its next entry does not chain onto the indexed front
    await logs.close()
    const k = new Feed(23)
    unlinkSync(logPath(dir, f.fid))
    logs = await open(dir)
    await write(logs, k, 'pppppppc')
    expect(await chainSeqs(logs, f.fid)).toEqual([8])
    await logs.close()
  })

  it('ignores a damaged index, and a read-only store never writes one', async () => {
    const dir = tempDir()
    const f = new Feed(24)
    let logs = await open(dir)
    await write(logs, f, 'cpc')
    await logs.close()
    const ro = await open(dir, true)
    expect(await chainSeqs(ro, f.fid)).toEqual([1, 3])
    await ro.close()
    expect(existsSync(indexPath(dir))).toBe(false)
    logs = await open(dir)
    expect(await chainSeqs(logs, f.fid)).toEqual([1, 3])
    await logs.close()
    const good = readFileSync(indexPath(dir))
    // damaged: other bytes, cut short, a record claiming another front, seqs out of order or range
    const claim = (front: number, mid: number, pairs: number[][]) => {
      const b = Buffer.from(good)
      b.writeUInt32BE(front, 12 + 36)
      b[12 + 40] = mid
      const p = 12 + 68
      b.writeUInt32BE(pairs.length, 12 + 60)
      return Buffer.concat([b.subarray(0, p), Buffer.from(pairs.flatMap(([seq, t]) => [0, 0, 0, seq!, t!]))])
    }
    const damaged = [
      Buffer.from('garbage'),
      good.subarray(0, good.length - 3),
      good.subarray(0, 40),
      claim(3, good[12 + 40]! ^ 1, [[2, 1]]), // another front mid: read again
      claim(3, good[12 + 40]!, [[3, 1], [1, 1]]), // out of order: ignored
      claim(3, good[12 + 40]!, [[9, 1]]), // beyond the front: ignored
    ]
    for (const bytes of damaged) {
      writeFileSync(indexPath(dir), bytes)
      logs = await open(dir)
      expect(await chainSeqs(logs, f.fid)).toEqual([1, 3])
      await logs.close()
    }
    // a line of a log that is gone is dropped when the index is written again
    const g = new Feed(25)
    logs = await open(dir)
    await write(logs, g, 'c')
    expect(await chainSeqs(logs, g.fid)).toEqual([1])
    unlinkSync(logPath(dir, f.fid))
    await logs.close()
    const after = readFileSync(indexPath(dir))
    expect(after.indexOf(Buffer.from(f.fid))).toBe(-1)
    expect(after.indexOf(Buffer.from(g.fid))).toBeGreaterThan(0)
  })

  it('repairs a log with an interrupted append first: an entry rolled forward is found', async () => {
    const dir = tempDir()
    const f = new Feed(26)
    let logs = await open(dir)
    await write(logs, f, 'pc')
    expect(await chainSeqs(logs, f.fid)).toEqual([2])
    await logs.close()
    // a complete block the header does not count yet (killed between the block and the header write)
    const next = f.advance(f.chain(utf8('rolled forward '.repeat(10))).entry)
    const block = new Uint8Array(128)
    block.set(next.wire, 8)
    const size = statSync(logPath(dir, f.fid)).size
    const fd = openSync(logPath(dir, f.fid), 'r+')
    writeSync(fd, block, 0, 128, size)
    closeSync(fd)
    const repairs: string[] = []
    logs = await fsLogStore({ dir, verifier, onRepair: (r) => repairs.push(r.kind) })
    expect(await chainSeqs(logs, f.fid)).toEqual([2, 3])
    expect(repairs).toEqual(['roll-forward'])
    await logs.close()
  })
})
