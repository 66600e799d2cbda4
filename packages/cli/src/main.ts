// The `tinyssb` command: dispatch through the registry (commands/index.ts), help and version, and
// the one rule for failures — one clear line on stderr and a non-zero exit code, never a stack trace.
import { TinySSBError } from '@tinyssb/packet'
import { wantsHelp } from './command.js'
import { COMMANDS, type CommandEntry } from './commands/index.js'
import { CliError } from './errors.js'
import { processIo, type Io } from './io.js'
import { version } from './version.js'

const FOOTER = [
  'Run "tinyssb COMMAND --help" for its flags, their defaults and an example.',
  'The data directory (default ./data) has the layout of the original Python demos.',
]

function table(entries: readonly CommandEntry[], strip = ''): string[] {
  const names = entries.map((e) => e.name.slice(strip.length))
  const col = Math.max(...names.map((n) => n.length)) + 2
  return entries.map((e, i) => `  ${names[i]!.padEnd(col)}${e.summary}`)
}

/** `tinyssb --help`: every command with its summary, the global flags. */
export function usage(): string {
  return [
    `tinyssb ${version()} — the tinySSB poc-01 demos and tools, in TypeScript`,
    '',
    'usage: tinyssb COMMAND [FLAGS]',
    '',
    'commands:',
    ...table(COMMANDS),
    '',
    'flags:',
    '  -h, --help      show this help (after a command: its help)',
    '  -V, --version   print the version',
    '',
    ...FOOTER,
  ].join('\n')
}

/** The commands of a group (`log` → `log append`, `log dump`, …). */
function group(word: string): CommandEntry[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${word} `))
}

function groupUsage(word: string): string {
  const more = `Run "tinyssb ${word} COMMAND --help" for its flags, their defaults and an example.`
  return [`usage: tinyssb ${word} COMMAND [FLAGS]`, '', 'commands:', ...table(group(word), `${word} `), '', more].join('\n')
}

/** The entry named by the first words of `argv`, and the rest. */
function lookup(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | undefined {
  for (const entry of COMMANDS) {
    const words = entry.name.split(' ')
    if (words.every((w, i) => argv[i] === w)) return { entry, rest: argv.slice(words.length) }
  }
  return undefined
}

/** Runs the command line `argv` (without "node tinyssb"); returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [first] = argv
    if (first === undefined) {
      io.err('tinyssb: no command given')
      io.err(usage())
      return 2
    }
    if (first === '--version' || first === '-V') {
      io.out(version())
      return 0
    }
    if (first === 'help' && argv.length > 1) return await main([...argv.slice(1), '--help'], io)
    if (first === 'help' || wantsHelp([first])) {
      io.out(usage())
      return 0
    }
    const found = lookup(argv)
    if (!found) {
      if (group(first).length > 0) {
        if (argv.length > 1 && wantsHelp([argv[1]!])) {
          io.out(groupUsage(first))
          return 0
        }
        const what = argv[1] === undefined ? `"tinyssb ${first}" needs a command` : `unknown ${first} command "${argv[1]}"`
        throw new CliError('CLI_USAGE', `${what}\n${groupUsage(first)}`)
      }
      throw new CliError('CLI_USAGE', `unknown command "${first}"\n${usage()}`)
    }
    const command = await found.entry.load()
    if (wantsHelp(found.rest)) {
      io.out(command.help(found.entry.name, found.entry.summary))
      return 0
    }
    try {
      return await command.run(found.rest, io)
    } catch (err) {
      // a usage error inside a command: the error line, then that command's usage
      if (!(err instanceof CliError) || err.code !== 'CLI_USAGE' || err.message.includes('\n')) throw err
      const line = command.usage(found.entry.name)
      const hint = `Run "tinyssb ${found.entry.name} --help" for every flag.`
      return report(err, io, line.includes('\n') ? hint : `usage: ${line}\n${hint}`)
    }
  } catch (err) {
    return report(err, io)
  }
}

function report(err: unknown, io: Io, more?: string): number {
  if (err instanceof TinySSBError) {
    io.err(`tinyssb: ${err.message}`)
    if (more) io.err(more)
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
