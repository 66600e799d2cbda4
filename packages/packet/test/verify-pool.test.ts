// parallelEd25519: verifyMany on worker threads gives exactly the verdicts of verify().
import { afterAll, describe, expect, it } from 'vitest'
// the pool loads dist/verify-worker.js, so this test uses the built files
import { nodeEd25519, parallelEd25519 } from '../dist/ed25519-node.js'
import { bytes, loadVectors } from './vectors.js'
import { concatBytes } from '../src/bytes.js'
import { entryName } from '../src/entry.js'

const pool = parallelEd25519({ threads: 2 })
afterAll(() => pool.close())

describe('parallelEd25519', () => {
  it('verifyMany agrees with verify on every vector entry and every negative case', async () => {
    const packets = loadVectors('packets.json') as { entries: Array<{ fid: string; seq: number; prev: string; wire: string }> }
    const negative = loadVectors('negative.json') as { cases: Array<{ fid: string; seq: number; prev: string; wire: string }> }
    const all = [...packets.entries, ...negative.cases, ...negative.cases, ...packets.entries]
    const items = all.map((r) => {
      const wire = bytes(r.wire)
      const pos = { fid: bytes(r.fid), seq: r.seq, prev: bytes(r.prev) }
      return { sig: wire.subarray(56, 120), msg: concatBytes(entryName(pos), wire.subarray(0, 56)), publicKey: pos.fid }
    })
    const expected = items.map((it) => nodeEd25519.verify(it.sig, it.msg, it.publicKey))
    expect(expected.filter(Boolean).length).toBeGreaterThan(20)
    expect(expected.filter((x) => !x).length).toBeGreaterThan(20)
    expect(await pool.verifyMany(items)).toEqual(expected)
    expect(await pool.verifyMany(items.slice(0, 3))).toEqual(expected.slice(0, 3)) // small: this thread
    expect(await pool.verifyMany([])).toEqual([])
  })

  it('wrong-length items verify false instead of throwing', async () => {
    const items = Array.from({ length: 10 }, () => ({ sig: new Uint8Array(63), msg: new Uint8Array(5), publicKey: new Uint8Array(32) }))
    expect(await pool.verifyMany(items)).toEqual(items.map(() => false))
  })

  it('after close() it still answers, on the calling thread', async () => {
    const p = parallelEd25519({ threads: 1 })
    await p.close()
    const items = Array.from({ length: 10 }, () => ({ sig: new Uint8Array(64), msg: new Uint8Array(1), publicKey: new Uint8Array(32) }))
    expect(await p.verifyMany(items)).toEqual(items.map(() => false))
  })
})
