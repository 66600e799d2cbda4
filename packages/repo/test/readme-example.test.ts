// The README's example runs as written (against the built package, as a user would import it).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const README = fileURLToPath(new URL('../README.md', import.meta.url))
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))

it.skipIf(!existsSync(DIST))('README example runs and prints what its comments say', () => {
  const code = /```ts\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'))?.[1]
  expect(code).toBeDefined()
  expect(code!.split('\n').length).toBeLessThanOrEqual(21)
  // Inside the package, so `@tinyssb/repo` resolves to itself (package self-reference).
  const file = fileURLToPath(new URL(`./fixtures/.readme-example-${process.pid}.mjs`, import.meta.url))
  writeFileSync(file, code!)
  try {
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^1 [0-9a-f]{40}\n\{ ok: true, entries: 1, frontSeq: 1 \}\n$/)
  } finally {
    unlinkSync(file)
  }
})
