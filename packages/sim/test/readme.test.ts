// The README's "In code" example runs as written (against the build) and prints what it says.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

it('runs the README example', async () => {
  const readme = await readFile(here('../README.md'), 'utf8')
  const code = /## In code\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(code).toBeDefined()
  const script = (code as string)
    .replace("'@tinyssb/sim'", JSON.stringify(pathToFileURL(here('../dist/index.js')).href))
    .replace("'@tinyssb/sim/tinyssb'", JSON.stringify(pathToFileURL(here('../dist/adapters/tinyssb.js')).href))
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000, cwd: here('..') })
  const [first, second] = stdout.trim().split('\n')
  expect(first).toMatch(/^true \d+(\.\d+)? \d+$/)
  expect(second).toMatch(/^\{ median: [\d.]+, mean: [\d.]+, p90: [\d.]+ \}$/)
})
