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
  const script = (code as string)
    .replace("'@tinyssb/face-udp'", JSON.stringify(dist))
    .replace('(face: typeof alice, who: string)', '(face, who)')
    .replace('const asked: { frame: Uint8Array; from: string }[] = []', 'const asked = []')
  expect(script).not.toMatch(/: typeof|who: string|\]: \{/)
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 })
  const lines = stdout.split('\n')
  expect(lines).toHaveLength(5)
  const from = lines.slice(0, 2).map((l) => /^bridge got (?:120|60) bytes from (udp:127\.0\.0\.1:\d+)$/.exec(l)?.[1])
  expect(from[0]).toBeDefined()
  expect(from[1]).toBeDefined()
  expect(from[0]).not.toBe(from[1]) // two peers, two PeerIds
  expect(lines.slice(2)).toEqual(['alice got 120 bytes back', 'bob got 60 bytes back', ''])
})
