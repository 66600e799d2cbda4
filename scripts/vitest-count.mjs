// The closing line's numbers, from vitest's JSON report: what vitest itself counted.

/**
 * Counts a vitest JSON report: passed and failed tests as vitest counts them, plus one failure for
 * each test file that failed without a failing test of its own (an import error, a throwing
 * beforeAll, a file with no tests). `numFailedTestSuites` is not added: it counts describe blocks
 * and files whose failing tests are already counted.
 * A step that failed before the tests (lint, type-check) counts as one failure more.
 * @param {any} report the parsed `--reporter=json` output
 * @param {number} [failedSteps] steps that failed before vitest ran
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
export function countResults(report, failedSteps = 0) {
  const files = Array.isArray(report.testResults) ? report.testResults : []
  const failedFilesWithoutFailedTest = files.filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + failedFilesWithoutFailedTest + failedSteps,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  }
}
