// The `tinyssb` command: dispatch, and the one rule for failures — one clear line on stderr and a
// non-zero exit code, never a stack trace.
import { TinySSBError } from '@tinyssb/packet'
import { BRIDGE_USAGE, bridge } from './commands/bridge.js'
import { INIT_USAGE, init } from './commands/init.js'
import { LOG_USAGE, log } from './commands/log.js'
import { PRODCONS_USAGE, prodcons } from './commands/prodcons.js'
import { REPO_USAGE, repo } from './commands/repo.js'
import { CliError } from './errors.js'
import { processIo, type Io } from './io.js'

type Command = (argv: string[], io: Io) => Promise<number>

const COMMANDS: Record<string, { run: Command; usage: string[] }> = {
  init: { run: init, usage: [INIT_USAGE] },
  repo: { run: repo, usage: [REPO_USAGE] },
  log: { run: log, usage: LOG_USAGE },
  prodcons: { run: prodcons, usage: [PRODCONS_USAGE] },
  bridge: { run: bridge, usage: [BRIDGE_USAGE] },
}

export function usage(): string {
  const lines = Object.values(COMMANDS).flatMap((c) => c.usage)
  return `usage:\n  ${lines.join('\n  ')}\n\nThe data directory (default ./data) has the layout of the original Python demos.`
}

/** Runs the command line `argv` (without "node tinyssb"); returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [cmd, ...rest] = argv
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    io.out(usage())
    return cmd === undefined ? 2 : 0
  }
  const c = COMMANDS[cmd]
  try {
    if (!c) throw new CliError('CLI_USAGE', `unknown command "${cmd}"\n${usage()}`)
    return await c.run(rest, io)
  } catch (err) {
    return report(err, io)
  }
}

function report(err: unknown, io: Io): number {
  if (err instanceof TinySSBError) {
    io.err(`tinyssb: ${err.message}`)
    return err instanceof CliError ? err.exitCode : 1
  }
  const e = err as NodeJS.ErrnoException
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    io.err(`tinyssb: ${e.message}`) // an fs error not wrapped by a store: still one line
    return 1
  }
  io.err(`tinyssb: internal error: ${e?.message ?? String(err)}`)
  return 70
}
