import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

it('runs the README example (loopback unicast)', async () => {
  const readme = await readFile(here('../README.md'), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(code).toBeDefined()
  // The example is plain JavaScript as well; point its import at the built package.
  const dist = pathToFileURL(here('../dist/index.js')).href
  const script = (code as string).replace("'@tinyssb/face-udp'", JSON.stringify(dist))
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 })
  expect(stdout).toMatch(/^bridge got 120 bytes from 127\.0\.0\.1:\d+\n120 bytes back from 127\.0\.0\.1:\d+\n$/)
})
