// The README's third-party face runs the Face suite (in a child vitest, as a user's test file would).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { runFixtures } from './run-vitest.js'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

it('runs the README example: a third-party face passes the Face suite', async () => {
  const readme = await readFile(here('../README.md'), 'utf8')
  const code = /```ts\n(\/\/ cable\.test\.ts[\s\S]*?)```/.exec(readme)?.[1]
  expect(code).toBeDefined()
  // Inside this repository the published subpath is the source file.
  const source = (code as string).replace("'@tinyssb/testkit/compliance'", JSON.stringify(here('../src/face-compliance.js')))
  const dir = await mkdtemp(join(here('fixtures'), 'readme-'))
  try {
    await writeFile(join(dir, 'cable.fixture.ts'), source)
    const report = await runFixtures(dir)
    expect(report.tests.length).toBeGreaterThan(10)
    expect(report.tests.filter((t) => t.status !== 'passed').map((t) => `${t.fullName}: ${t.failureMessages.join(' ')}`)).toEqual([])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}, 60_000)
