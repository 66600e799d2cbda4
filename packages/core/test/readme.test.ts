import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

it('runs the README example (a toy protocol on a fake clock answers the peer that asked)', async () => {
  const readme = await readFile(here('../README.md'), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(code).toBeDefined()
  // Node strips the types (--experimental-strip-types is not in Node 20): run it as TypeScript
  // through the compiler API instead, then as a module with the import pointed at the build.
  const ts = await import('typescript')
  const js = ts.transpileModule(code as string, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
  const script = js.replace("'@tinyssb/core'", JSON.stringify(pathToFileURL(here('../dist/index.js')).href))
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 })
  const lines = stdout.trim().split('\n')
  expect(lines).toHaveLength(2)
  // one frame out at 0, arrives at 10, answered soon after (same instant), arrives back at 20
  expect(lines[0]).toMatch(/^t=20 ms: b answered (\d+)$/)
  const n = Number(/answered (\d+)/.exec(lines[0]!)?.[1])
  expect(n).toBeGreaterThanOrEqual(1)
  expect(n).toBeLessThanOrEqual(100)
  expect(lines[1]).toBe('timers left: 0')
})
