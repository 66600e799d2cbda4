// Shared by the demos (scripts/demo.mjs, scripts/chat-demo.mjs): the built CLI, a temp work dir
// with a data directory, a random port, the children to kill on failure, steps printed in bold,
// polling with a deadline, and the exit (0 and the work dir removed, or 1 naming the failure).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bold, ENV, ROOT } from './run.mjs'

/** The CLI's bin script (runs the built package). */
export const CLI = join(ROOT, 'packages', 'cli', 'bin', 'tinyssb.js')

/**
 * Sets up one demo run.
 * @param {string} prefix of the temp work dir
 * @param {{ deadlineMs?: number, pollMs?: number }} [opts] how long `waitFor` waits in all (from the start), and how often it checks
 */
export function demoRun(prefix, { deadlineMs = 60_000, pollMs = 100 } = {}) {
  const work = mkdtempSync(join(tmpdir(), prefix))
  const data = join(work, 'data')
  const port = 20000 + Math.floor(Math.random() * 40000)
  /** @type {Set<import('node:child_process').ChildProcess>} children to SIGKILL when the demo fails */
  const children = new Set()
  const started = Date.now()
  return {
    data,
    port,
    children,
    /** Seconds since the start, one decimal. */
    elapsed: () => ((Date.now() - started) / 1000).toFixed(1),
    /** Prints a step of the demo. */
    say: (msg) => console.log(`\n${bold(`== ${msg}`)}`),
    /** Runs `tinyssb args…` to the end; its stdout, or an error with its stderr. */
    tinyssb(args) {
      const r = spawnSync(process.execPath, [CLI, ...args], { env: ENV, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`tinyssb ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
      return r.stdout
    },
    /** Polls `cond` until it holds; throws naming `what` once the deadline has passed. */
    async waitFor(what, cond) {
      while (!cond()) {
        if (Date.now() - started > deadlineMs) throw new Error(`timed out waiting for ${what}`)
        await new Promise((r) => setTimeout(r, pollMs))
      }
    },
    /** Runs `main`, then exits 0 (work dir removed) or 1 ("`name` failed: …", children killed). */
    finish(main, name) {
      main()
        .then(() => (rmSync(work, { recursive: true, force: true }), process.exit(0)))
        .catch((err) => {
          console.error(`\n${name} failed: ${err.message}`)
          for (const ch of children) ch.kill('SIGKILL')
          process.exit(1)
        })
    },
  }
}
