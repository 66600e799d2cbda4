// A real crash: a child node on the disk stores appends and ticks in a loop and is SIGKILLed.
// Every reopen must hold every message the child printed (it prints only after append()
// returned), the pending MESSAGE state for each, and an epoch no older than the last printed.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tempDir } from '@tinyssb/testkit'
import { describe, expect, it } from 'vitest'
import { peerKey } from '../src/index.js'
import { openFsStores } from '../src/fs/index.js'

const CHILD = fileURLToPath(new URL('./fixtures/node-loop.mjs', import.meta.url))
const KILLS = 3

function runAndKill(dir: string, ms: number): Promise<{ ids: string[]; epoch: number; ready: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let timer: NodeJS.Timeout | undefined
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      if (!timer && out.includes('\n')) timer = setTimeout(() => child.kill('SIGKILL'), ms)
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited with ${code}: ${err}`))
      const lines = out.split('\n')
      lines.pop() // an unfinished last line does not count
      const ids = lines.filter((l) => l.startsWith('id ')).map((l) => l.slice(3))
      const epochs = lines.filter((l) => l.startsWith('epoch ')).map((l) => Number(l.slice(6)))
      resolve({ ids, epoch: epochs.length ? epochs[epochs.length - 1]! : 0, ready: lines[0] ?? '' })
    })
  })
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
