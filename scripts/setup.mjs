// Set-up shared by `npm test`, `npm run demo`, `npm run bench` and `npm run build`: install the
// workspace (frozen lockfile, pnpm through corepack) and build every package. `npm test` also
// makes sure the Debian tools some tests need are there (systemTools), so a fresh clone on a
// fresh Debian/Ubuntu machine needs nothing installed by hand.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, must } from './run.mjs'

/** The system tools the tests use, with the Debian package that has each. */
export const SYSTEM_TOOLS = [
  { command: 'socat', pkg: 'socat', why: 'the serial (KISS) tests over a pseudo-terminal pair' },
  { command: 'chromium', pkg: 'chromium', why: "the simulator's report rendering test" },
]
/** What a user without root runs; the tests that need a missing tool fail with the same line. */
export const INSTALL_HINT = `sudo apt-get install ${SYSTEM_TOOLS.map((t) => t.pkg).join(' ')}`

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0

/**
 * Installs the missing system tools with apt-get when running as root; otherwise prints once what
 * to install (the tests that need them then fail with the same hint). Never fails the run itself.
 * @returns the commands still missing.
 */
export function systemTools({ log = console.log, isRoot = process.getuid?.() === 0, which = has, apt = aptGet } = {}) {
  let missing = SYSTEM_TOOLS.filter((t) => !which(t.command))
  if (missing.length === 0) return []
  const names = missing.map((t) => t.pkg).join(' ')
  if (isRoot && which('apt-get')) {
    log(`installing ${names} with apt-get (first run only; chromium is large, this can take a minute)…`)
    const err = apt(missing.map((t) => t.pkg))
    if (err) log(`apt-get could not install ${names}: ${err}`)
    missing = missing.filter((t) => !which(t.command))
    if (missing.length === 0) return []
  }
  log(
    `\nmissing: ${missing.map((t) => `${t.command} (${t.why})`).join(', ')}.\n` +
      `Install with: ${INSTALL_HINT}\nThe tests that need ${missing.length > 1 ? 'them' : 'it'} will fail until then.\n`,
  )
  return missing.map((t) => t.command)
}

/** apt-get update + install, quiet and non-interactive; returns an error text or undefined. */
function aptGet(pkgs) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const opts = { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] }
  const update = spawnSync('apt-get', ['update', '-qq'], opts)
  if (update.status !== 0) return `apt-get update failed: ${(update.stderr ?? '').trim().split('\n').pop()}`
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], opts)
  return r.status === 0 ? undefined : (r.stderr ?? '').trim().split('\n').slice(-3).join(' ') || `exit ${r.status}`
}

/** Workspace packages that have a build script, and whether each has been built. */
export function workspacePackages() {
  const dirs = ['packages', 'examples'].flatMap((d) =>
    existsSync(join(ROOT, d)) ? readdirSync(join(ROOT, d)).map((n) => join(ROOT, d, n)) : [],
  )
  dirs.push(join(ROOT, 'bench'))
  return dirs
    .filter((d) => existsSync(join(d, 'package.json')))
    .filter((d) => JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).scripts?.build)
    .map((d) => ({ dir: d, built: existsSync(join(d, 'dist')) }))
}

/** Installs the workspace and builds every package, saying what it does. */
export function setup() {
  const fresh = !existsSync(join(ROOT, 'node_modules', '.bin', 'turbo'))
  console.log(`installing dependencies (corepack pnpm install --frozen-lockfile)${fresh ? ', first run' : ''}…`)
  must('corepack', ['pnpm', 'install', '--frozen-lockfile', '--reporter=append-only'])
  const pkgs = workspacePackages()
  const first = pkgs.some((p) => !p.built)
  console.log(`building ${pkgs.length} packages${first ? ' (first run takes ~20 s)' : ''}…`)
  must('turbo', ['run', 'build', '--output-logs=errors-only'])
}

if (import.meta.url === `file://${process.argv[1]}`) setup()
