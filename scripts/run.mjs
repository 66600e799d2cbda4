// Small helpers shared by the root scripts: run a command with inherited stdio and
// environment defaults that make corepack, pnpm and turbo quiet and non-interactive.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export const ENV = {
  ...process.env,
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  COREPACK_ENABLE_STRICT: '0',
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
}

/** Runs a command; returns its exit status (never throws for a non-zero one). */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env: ENV, ...opts })
  if (r.error) throw r.error
  return r.status ?? 1
}

/** Runs a command and exits the process with its status when it fails. */
export function must(cmd, args, opts = {}) {
  const status = run(cmd, args, opts)
  if (status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed with exit code ${status}`)
    process.exit(status)
  }
}
