// System tools some tests need (socat for pseudo-terminal pairs, chromium for rendering). `npm test`
// installs them with apt-get when it runs as root (scripts/setup.mjs); otherwise it prints
// INSTALL_HINT once, and each test that needs a missing tool fails with the same line.
import { spawnSync } from 'node:child_process'

/** The one line that installs every system tool the tests use (the same as scripts/setup.mjs prints). */
export const INSTALL_HINT = 'sudo apt-get install socat chromium'

/** True when `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  if (!/^[\w.+-]+$/.test(command)) throw new Error(`not a command name: ${JSON.stringify(command)}`)
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/**
 * Fails (never skips) when a system tool is missing, so a run without it cannot pass unnoticed.
 * @param command e.g. 'socat'
 * @param neededBy what needs it, for the message (e.g. 'the KISS pseudo-terminal tests')
 * @throws Error "socat is not installed (needed by …): sudo apt-get install socat chromium …"
 */
export function requireCommand(command: string, neededBy: string): void {
  if (hasCommand(command)) return
  throw new Error(
    `${command} is not installed (needed by ${neededBy}): ${INSTALL_HINT} (npm test installs it itself when run as root)`,
  )
}
