// runUntilKilled: a child killed mid-work hands back its complete lines; any other exit is an error.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runUntilKilled } from '../src/index.js'

const CHILD = fileURLToPath(new URL('./fixtures/count-loop.mjs', import.meta.url))

describe('runUntilKilled', () => {
  it('kills the child after its first line and returns the complete lines it printed', async () => {
    const lines = await runUntilKilled(CHILD, [], 100)
    expect(lines[0]).toBe('ready')
    expect(lines.length).toBeGreaterThan(1) // it went on printing until the kill
    expect(lines.slice(1)).toEqual(lines.slice(1).map((_, i) => String(i + 1))) // whole lines, in order
  })

  it('rejects when the child exits by itself, quoting its stderr', async () => {
    await expect(runUntilKilled(CHILD, ['2'], 10_000)).rejects.toThrow(/child exited with 3: stopped by itself/)
  })

  it('rejects when the script does not exist', async () => {
    await expect(runUntilKilled(fileURLToPath(new URL('./fixtures/no-such-child.mjs', import.meta.url)), [], 10)).rejects.toThrow(/child exited with 1: .*Cannot find module/s)
  })
})
