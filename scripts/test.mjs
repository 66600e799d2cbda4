// `npm test`: system tools (socat, chromium), install, build, lint every package, type-check tests,
// run the whole vitest suite, then print the plain closing line "N passed, N failed" that CI reads.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, must, run } from './run.mjs'
import { setup, systemTools } from './setup.mjs'
import { countResults } from './vitest-count.mjs'

systemTools()
setup()
console.log('linting every package…')
must('turbo', ['run', 'lint', '--output-logs=errors-only'])
// the tests and examples are type-checked too (tsc -b builds only src/)
console.log('type-checking tests and examples…')
must('tsc', ['-p', 'tsconfig.test.json'])

const report = join(ROOT, '.vitest-report.json')
rmSync(report, { force: true })
const status = run('vitest', [
  'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ...process.argv.slice(2),
])

let counts
try {
  counts = countResults(JSON.parse(readFileSync(report, 'utf8')))
} catch (err) {
  console.error(`could not read the vitest report ${report}: ${err.message}`)
  counts = { passed: 0, failed: 1, skipped: 0 }
}
const { passed, failed, skipped } = counts
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(status !== 0 || failed > 0 || passed === 0 ? status || 1 : 0)
