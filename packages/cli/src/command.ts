// How a command is described: its flags (parseArgs options with a help line each), its usage, an
// example. `--help` output is generated from this, so every flag is documented where it is defined.
import { parse, type OptionConfig, type Parsed } from './args.js'
import type { Io } from './io.js'

/** A flag: a parseArgs option plus what `--help` says about it. */
export type Flag = OptionConfig & {
  /** One line for `--help`. */
  readonly help: string
  /** The value's placeholder (string flags), e.g. `DIR`. */
  readonly arg?: string
  /** The default as `--help` shows it, when it is not the parseArgs `default` (e.g. it depends on the face). */
  readonly shownDefault?: string
}

/** The flags of a command, by long name. */
export type Flags = Record<string, Flag>

/** A command as written in its module; see {@link defineCommand}. Its name and summary are in the registry (commands/index.ts). */
export interface CommandSpec<F extends Flags> {
  readonly flags: F
  /** What follows the flags in the usage line, e.g. `(--hex HEX | TEXT)`; positionals are allowed when set. */
  readonly args?: string
  /** Paragraphs after the usage line (wrapped to 100 columns). */
  readonly description?: readonly string[]
  /** Command lines that work as written (after `tinyssb init --data demo` where they need it). */
  readonly examples: readonly string[]
  run(parsed: Parsed<F>, io: Io): Promise<number>
}

/** A command ready to run: `run` parses the flags (usage errors are CliError CLI_USAGE). */
export interface Command {
  readonly flags: Flags
  /** The usage line(s) for `tinyssb NAME`. */
  usage(name: string): string
  /** The `--help` text: summary, usage, description, every flag with its default, examples. */
  help(name: string, summary: string): string
  run(argv: readonly string[], io: Io): Promise<number>
}

/** `--help`, `-h` or `-help` before any `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false
    if (a === '--help' || a === '-h' || a === '-help') return true
  }
  return false
}

/** Turns a {@link CommandSpec} into a {@link Command} (the generic flags typed for `run`). */
export function defineCommand<F extends Flags>(spec: CommandSpec<F>): Command {
  const usage = (name: string): string => usageLine(name, spec.flags, spec.args)
  return {
    flags: spec.flags,
    usage,
    help: (name, summary) => helpText(name, summary, usage(name), spec),
    run: (argv, io) => spec.run(parse(argv, spec.flags, spec.args !== undefined), io),
  }
}

/** `[--data DIR]`, `[--mc GROUP/PORT]…`, `[--force]`. */
export function flagSyntax(name: string, f: Flag): string {
  const value = f.type === 'string' ? ` ${f.arg ?? 'VALUE'}` : ''
  return `[--${name}${value}]${f.multiple ? '…' : ''}`
}

/** `tinyssb NAME [flags…] ARGS`, wrapped to lines of at most `width` characters. */
export function usageLine(name: string, flags: Flags, args?: string, width = 100): string {
  const words = [`tinyssb ${name}`, ...Object.entries(flags).map(([n, f]) => flagSyntax(n, f))]
  if (args) words.push(args)
  return wrap(words, width - 4).join('\n    ')
}

/** The options table of `--help`: `  --data DIR    help (default: ./data)`. */
export function flagTable(flags: Flags, width = 100): string[] {
  const rows: [string, string][] = Object.entries(flags).map(([n, f]) => {
    const left = `${f.short ? `-${f.short}, ` : ''}--${n}${f.type === 'string' ? ` ${f.arg ?? 'VALUE'}` : ''}`
    const dflt = f.shownDefault ?? (typeof f.default === 'string' ? f.default : undefined)
    const notes = [dflt !== undefined ? `default: ${dflt}` : '', f.multiple ? 'repeatable' : ''].filter(Boolean).join('; ')
    return [left, notes ? `${f.help} (${notes})` : f.help]
  })
  rows.push(['-h, --help', 'show this help'])
  const col = Math.min(24, Math.max(...rows.map(([l]) => l.length)) + 2)
  const indent = ' '.repeat(col + 2)
  return rows.map(([l, r]) => {
    const text = wrap(r.split(' '), width - col - 2).join(`\n${indent}`)
    return l.length + 2 > col ? `  ${l}\n${indent}${text}` : `  ${l.padEnd(col)}${text}`
  })
}

/** `words` joined by spaces in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(words: readonly string[], width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line)
      line = w
    } else {
      line = line ? `${line} ${w}` : w
    }
  }
  return [...lines, line]
}

function helpText(name: string, summary: string, usage: string, spec: Pick<CommandSpec<Flags>, 'flags' | 'description' | 'examples'>): string {
  const out = [`tinyssb ${name} — ${summary}`, '', `usage: ${usage}`]
  for (const p of spec.description ?? []) out.push('', ...wrap(p.split(/\s+/), 100))
  out.push('', 'flags:', ...flagTable(spec.flags))
  out.push('', spec.examples.length === 1 ? 'example:' : 'examples:', ...spec.examples.map((e) => `  ${e}`))
  return out.join('\n')
}
