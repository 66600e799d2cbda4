import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

it('runs the README example (LoRa pacing under a fake clock)', async () => {
  const readme = await readFile(here('../README.md'), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(code).toBeDefined()
  // The example is plain JavaScript as well; point its import at the built package.
  const dist = pathToFileURL(here('../dist/index.js')).href
  // Plain JavaScript once its two type annotations are gone.
  const script = (code as string)
    .replace("'@tinyssb/pacing'", JSON.stringify(dist))
    .replace('(frame: Uint8Array, to?: string)', '(frame, to)')
  expect(script).not.toMatch(/: Uint8Array|to\?:/)
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000, cwd: here('..') })
  const lines = stdout.trim().split('\n')
  expect(lines).toHaveLength(4)
  const times = lines.slice(0, 3).map((l) => Number(/^t=(\d+(?:\.\d+)?) ms: 120 bytes to everyone$/.exec(l)?.[1]))
  expect(times[0]).toBe(0)
  for (let i = 1; i < 3; i++) {
    // 1000 ms + up to 50 ms of jitter, exactly: the gap runs from the start of the previous send.
    expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(1000)
    expect((times[i] as number) - (times[i - 1] as number)).toBeLessThanOrEqual(1050)
  }
  expect(JSON.parse(lines[3] as string)).toMatchObject({ sent: 3, queued: 3, dropped: { QUEUE_FULL: 0 } })
})
