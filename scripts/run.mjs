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

/**
 * Whether a script may write color or bold escape codes: the stream is a terminal, NO_COLOR is unset
 * or empty (https://no-color.org) and TERM is not "dumb" (the CLI's rule, packages/cli/src/io.ts).
 * @param {{ isTTY?: boolean }} [stream]
 * @param {Record<string, string | undefined>} [env]
 * @returns {boolean}
 */
export function colorWanted(stream = process.stdout, env = process.env) {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb'
}

/**
 * `text` in bold when `color` (default: {@link colorWanted} for stdout), else unchanged.
 * @param {string} text
 * @param {boolean} [color]
 */
export const bold = (text, color = colorWanted()) => (color ? `\x1b[1m${text}\x1b[0m` : text)

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
