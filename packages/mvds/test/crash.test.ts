// A real crash: a child node on the disk stores appends and ticks in a loop and is SIGKILLed.
// Every reopen must hold every message the child printed (it prints only after append()
// returned), the pending MESSAGE state for each, and an epoch no older than the last printed.
import { fileURLToPath } from 'node:url'
import { runUntilKilled, tempDir } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { peerKey } from '../src/index.js'
import { openFsStores } from '../src/fs/index.js'

const CHILD = fileURLToPath(new URL('./fixtures/node-loop.mjs', import.meta.url))
const KILLS = 3

/** Runs the child until `ms` after start-up, kills it: the ids and the last epoch it printed. */
async function runAndKill(dir: string, ms: number): Promise<{ ids: string[]; epoch: number; ready: string }> {
  const lines = await runUntilKilled(CHILD, [dir], ms)
  const ids = lines.filter((l) => l.startsWith('id ')).map((l) => l.slice(3))
  const epochs = lines.filter((l) => l.startsWith('epoch ')).map((l) => Number(l.slice(6)))
  return { ids, epoch: epochs.length ? epochs[epochs.length - 1]! : 0, ready: lines[0] ?? '' }
}

describe('disk store under SIGKILL', () => {
  it(`loses no message and no pending state over ${KILLS} kills`, async () => {
    const dir = await tempDir('mvds-crash-')
    try {
      const all: string[] = []
      for (let k = 0; k < KILLS; k++) {
        const { ids, epoch, ready } = await runAndKill(dir.path, 300 + 150 * k)
        expect(ready).toMatch(/^ready \d+ \d+$/)
        all.push(...ids)
        const stores = openFsStores({ dir: dir.path })
        const held = new Set([...stores.messages.entries()].map(([id]) => Buffer.from(id).toString('hex')))
        const missing = all.filter((id) => !held.has(id))
        expect(missing).toEqual([])
        const pending = new Set(stores.state.records().filter((r) => r.peer === peerKey('null', 'peer')).map((r) => Buffer.from(r.id).toString('hex')))
        expect(all.filter((id) => !pending.has(id))).toEqual([])
        expect(stores.peers.getEpoch()).toBeGreaterThanOrEqual(epoch)
        stores.close()
      }
      expect(all.length).toBeGreaterThan(KILLS)
    } finally {
      await dir.cleanup()
    }
  }, 30_000)
})
