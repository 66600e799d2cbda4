import { describe, expect, it } from 'vitest'
import { INSTALL_HINT as TESTKIT_HINT } from '../../packages/testkit/src/system.js'
import { INSTALL_HINT, SYSTEM_TOOLS, systemTools } from '../setup.mjs'
import { countResults } from '../vitest-count.mjs'

describe('systemTools', () => {
  const run = (opts: { isRoot: boolean; present: string[]; installs?: string[] }) => {
    const present = new Set(['apt-get', ...opts.present])
    const lines: string[] = []
    const aptCalls: string[][] = []
    const missing = systemTools({
      log: (s: string) => lines.push(s),
      isRoot: opts.isRoot,
      which: (c: string) => present.has(c),
      apt: (pkgs: string[]) => {
        aptCalls.push(pkgs)
        for (const p of opts.installs ?? []) present.add(p)
        return opts.installs ? undefined : 'E: no network'
      },
    })
    return { missing, text: lines.join('\n'), aptCalls }
  }

  it('does nothing when every tool is there', () => {
    const r = run({ isRoot: false, present: ['socat', 'chromium'] })
    expect(r).toEqual({ missing: [], text: '', aptCalls: [] })
  })

  it('not root: prints the install line exactly once and installs nothing', () => {
    const r = run({ isRoot: false, present: [] })
    expect(r.missing).toEqual(['socat', 'chromium'])
    expect(r.aptCalls).toEqual([])
    expect(r.text.split(INSTALL_HINT).length - 1).toBe(1)
    expect(r.text).toContain('sudo apt-get install socat chromium')
  })

  it('root: installs only what is missing with apt-get, then is quiet about it', () => {
    const r = run({ isRoot: true, present: ['socat'], installs: ['chromium'] })
    expect(r.aptCalls).toEqual([['chromium']])
    expect(r.missing).toEqual([])
    expect(r.text).not.toContain(INSTALL_HINT)
  })

  it('root but apt-get fails: says why, then prints the install line once', () => {
    const r = run({ isRoot: true, present: [] })
    expect(r.aptCalls).toEqual([['socat', 'chromium']])
    expect(r.missing).toEqual(['socat', 'chromium'])
    expect(r.text).toContain('E: no network')
    expect(r.text.split(INSTALL_HINT).length - 1).toBe(1)
  })

  it('the tests that need a tool fail with the same install line', () => {
    expect(TESTKIT_HINT).toBe(INSTALL_HINT)
    expect(SYSTEM_TOOLS.map((t) => t.command)).toEqual(['socat', 'chromium'])
  })
})

describe('countResults (the closing line)', () => {
  const file = (status: string, tests: string[]) => ({
    status,
    assertionResults: tests.map((s) => ({ status: s })),
  })

  it('counts what vitest counted: a failed file without tests once, failed tests once each', () => {
    const report = {
      numPassedTests: 3,
      numFailedTests: 2,
      numPendingTests: 1,
      numTodoTests: 0,
      numFailedTestSuites: 7, // describe blocks and files: never added
      testResults: [
        file('passed', ['passed', 'passed', 'skipped']),
        file('failed', ['failed', 'failed', 'passed']), // counted by numFailedTests
        file('failed', []), // import error: no test ran
        file('failed', ['skipped']), // a beforeAll threw
      ],
    }
    expect(countResults(report)).toEqual({ passed: 3, failed: 4, skipped: 1 })
  })

  it('the issue run: 14 files failing at import and 2 failing tests in 2 files are 16', () => {
    const testResults = [
      ...Array.from({ length: 14 }, () => file('failed', [])),
      file('failed', ['failed', 'passed']),
      file('failed', ['failed']),
    ]
    expect(countResults({ numPassedTests: 1, numFailedTests: 2, numFailedTestSuites: 20, testResults }).failed).toBe(16)
  })

  it('a lint or type-check step that failed before the tests counts once each', () => {
    const report = { numPassedTests: 5, numFailedTests: 0, testResults: [file('passed', ['passed'])] }
    expect(countResults(report)).toEqual({ passed: 5, failed: 0, skipped: 0 })
    expect(countResults(report, 2)).toEqual({ passed: 5, failed: 2, skipped: 0 })
  })
})
