// `npm test`: system tools (socat, chromium), install, build, lint every package, type-check tests,
// run the whole vitest suite, then print the plain closing line "N passed, N failed" that CI reads.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, run } from './run.mjs'
import { setup, systemTools } from './setup.mjs'
import { countResults } from './vitest-count.mjs'

systemTools()
setup()
// Lint and type-check failures do not hide the test results: the tests still run, and each failed
// step counts as one failure in the closing line (so it can never read "0 failed").
const failedSteps = []
const step = (what, cmd, args) => {
  console.log(`${what}…`)
  if (run(cmd, args) !== 0) {
    console.error(`\n${what} FAILED (${cmd} ${args.join(' ')}); the tests run anyway`)
    failedSteps.push(what)
  }
}
step('linting every package', 'turbo', ['run', 'lint', '--output-logs=errors-only'])
// the tests and examples are type-checked too (tsc -b builds only src/)
step('type-checking tests and examples', 'tsc', ['-p', 'tsconfig.test.json'])

const report = join(ROOT, '.vitest-report.json')
rmSync(report, { force: true })
const status = run('vitest', [
  'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ...process.argv.slice(2),
])

let counts
try {
  counts = countResults(JSON.parse(readFileSync(report, 'utf8')), failedSteps.length)
} catch (err) {
  console.error(`could not read the vitest report ${report}: ${err.message}`)
  counts = { passed: 0, failed: 1 + failedSteps.length, skipped: 0 }
}
const { passed, failed, skipped } = counts
if (failedSteps.length) console.log(`\nfailed before the tests (one failure each below): ${failedSteps.join(', ')}`)
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(status !== 0 || failed > 0 || passed === 0 ? status || 1 : 0)
