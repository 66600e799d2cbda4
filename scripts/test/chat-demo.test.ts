// scripts/chat-demo.mjs runs to the end and exits 0 (three chat nodes on loopback, nodeA and nodeB
// never online together), with no escape codes when stdout is not a terminal. Needs the built CLI.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { ROOT } from '../run.mjs'

it('the chat demo converges and exits 0; no bold escape codes into a pipe', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'chat-demo.mjs')], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, NO_COLOR: '' } })
  expect(r.status, r.stdout + r.stderr).toBe(0)
  expect(r.stdout).toMatch(/nodeB \| \[nodeA 2\] a line longer than 48 bytes/)
  expect(r.stdout).toMatch(/nodeA \| \[nodeB 1\] hi nodeA, nodeB here: got both/)
  expect(r.stdout).toMatch(/^== done in [\d.]+ s: nodeA and nodeB never met, and all three hold the same feeds$/m)
  expect(r.stdout).not.toContain('\x1b[')
}, 100_000)
