import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

it('runs the README example (the codec)', async () => {
  const readme = await readFile(here('../README.md'), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(code).toBeDefined()
  // The example is plain JavaScript as well; point its import at the built codec.
  const dist = pathToFileURL(here('../dist/kiss-codec.js')).href
  const script = (code as string).replace("'@tinyssb/face-kiss/codec'", JSON.stringify(dist))
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 })
  expect(stdout).toBe(
    [
      'wire c001dbdcdbdd02c0',
      'dropped GARBAGE',
      'frame 01c0db02',
      'dropped BAD_ESCAPE',
      '{"frames":1,"dropped":{"EMPTY":0,"TOO_LONG":0,"BAD_ESCAPE":1,"COMMAND":0,"GARBAGE":1}}',
      '',
    ].join('\n'),
  )
})
