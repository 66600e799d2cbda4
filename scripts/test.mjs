// `npm test`: install, build, lint every package (publint), type-check tests, run the whole vitest suite,
// then print the plain closing line "N passed, N failed" that CI reads.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, must, run } from './run.mjs'
import { setup } from './setup.mjs'

setup()
must('turbo', ['run', 'lint', '--output-logs=errors-only'])
// the tests and examples are type-checked too (tsc -b builds only src/)
must('tsc', ['-p', 'tsconfig.test.json'])

const report = join(ROOT, '.vitest-report.json')
rmSync(report, { force: true })
const status = run('vitest', [
  'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ...process.argv.slice(2),
])

let passed = 0
let failed = 0
let skipped = 0
try {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  passed = r.numPassedTests
  failed = r.numFailedTests + (r.numFailedTestSuites ?? 0)
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
} catch (err) {
  console.error(`could not read the vitest report ${report}: ${err.message}`)
  failed += 1
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(status !== 0 || failed > 0 || passed === 0 ? status || 1 : 0)
