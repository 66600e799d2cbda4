// Runs vitest in a child process on the fixture files of one directory and returns its JSON report.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export interface TestResult {
  readonly status: string
  readonly fullName: string
  readonly failureMessages: string[]
}

export interface JsonReport {
  readonly numFailedTests: number
  readonly numPassedTests: number
  readonly numPendingTests: number
  readonly tests: TestResult[]
}

/** Runs `vitest run` on `dir/*.fixture.ts`; a failing run is a report too. */
export async function runFixtures(dir: string): Promise<JsonReport> {
  const vitest = here('../../../node_modules/vitest/vitest.mjs')
  const args = [vitest, 'run', '--config', here('fixtures/vitest.fixture.config.ts'), '--root', dir, '--reporter=json']
  const result = await promisify(execFile)(process.execPath, args, { cwd: dir, timeout: 60_000 }).catch(
    (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  )
  const start = result.stdout.indexOf('{')
  if (start < 0) throw new Error(`vitest printed no report: ${result.stderr}`)
  const report = JSON.parse(result.stdout.slice(start)) as Omit<JsonReport, 'tests'> & {
    testResults: { assertionResults: TestResult[] }[]
  }
  return { ...report, tests: report.testResults.flatMap((f) => f.assertionResults) }
}
