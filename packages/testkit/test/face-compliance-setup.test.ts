// When makePair fails, the suite reports its error once: the first test fails with it, the others
// are skipped with a note, and no second error (a TypeError from closing faces that never opened)
// follows. Checked by running a fixture in a child vitest.
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { runFixtures } from './run-vitest.js'

it('reports a failed set-up once, with its own error', async () => {
  const report = await runFixtures(fileURLToPath(new URL('fixtures/failing-setup/', import.meta.url)))
  expect(report.tests.length).toBeGreaterThan(5)
  expect(report.numFailedTests).toBe(1)
  expect(report.numPendingTests).toBe(report.tests.length - 1)
  const failed = report.tests.filter((t) => t.status === 'failed')
  expect(failed).toHaveLength(1)
  expect(failed[0]?.failureMessages.join('\n')).toContain('socat is not installed (the fixture says so)')
  expect(failed[0]?.failureMessages.join('\n')).not.toContain('TypeError')
}, 60_000)
