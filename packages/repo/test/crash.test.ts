// A real crash: a child process appends in a loop and is killed with SIGKILL at random moments.
// Every reopen must succeed, pass checkLog, and hold every seq the child printed (it prints only
// after append() returned). The kill delays come from a seeded PRNG (TINYSSB_TEST_SEED=<n> replays
// or explores another sequence); a failure names the seed and the delays used.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { mulberry32 } from '@tinyssb/core'
import { runUntilKilled } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { fsLogStore } from '../src/index.js'
import { cleanTempDirs, hex, tempDir, verifier } from './helpers.js'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'

cleanTempDirs()

const CHILD = fileURLToPath(new URL('./fixtures/append-loop.mjs', import.meta.url))
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const KILLS = 6
const SEED = Number(process.env.TINYSSB_TEST_SEED ?? 13)

/** Runs the child until it has appended for `ms` after start-up, kills it, returns the last printed seq. */
async function runAndKill(dir: string, seed: string, durable: boolean, ms: number): Promise<{ ready: number; last: number }> {
  const lines = await runUntilKilled(CHILD, [dir, seed, durable ? '1' : '0'], ms)
  const ready = Number(/^ready (\d+)$/.exec(lines[0] ?? '')?.[1] ?? Number.NaN)
  const seqs = lines.slice(1).map(Number)
  return { ready, last: seqs.length ? seqs[seqs.length - 1]! : ready }
}

describe('crash safety with SIGKILL', () => {
  it.skipIf(!existsSync(DIST))(`survives ${KILLS} kills mid-append and loses no acknowledged entry`, { timeout: 60_000 }, async () => {
    const dir = tempDir()
    const seed = hex(new Uint8Array(32).fill(42))
    const fid = nodeEd25519.publicKey(new Uint8Array(32).fill(42))
    const random = mulberry32(SEED)
    const delays: number[] = []
    let acknowledged = 0
    for (let i = 0; i < KILLS; i++) {
      delays.push(30 + Math.floor(random() * 250))
      const replay = `TINYSSB_TEST_SEED=${SEED}, kill delays so far ${delays.join(', ')} ms`
      const { ready, last } = await runAndKill(dir, seed, i % 2 === 1, delays[i]!)
      expect(ready, replay).toBeGreaterThanOrEqual(acknowledged) // the child's own reopen kept everything
      acknowledged = Math.max(acknowledged, last)
      const logs = await fsLogStore({ dir, verifier })
      const info = (await logs.info(fid))!
      expect(info.frontSeq, replay).toBeGreaterThanOrEqual(acknowledged)
      expect(await logs.verify(fid), replay).toEqual({ ok: true, entries: info.frontSeq, frontSeq: info.frontSeq })
      await logs.close()
    }
    expect(acknowledged).toBeGreaterThan(0)
  })

  it('has the built package the child process needs', () => {
    expect(existsSync(DIST), `${DIST} is missing: run "turbo run build" first`).toBe(true)
  })
})
