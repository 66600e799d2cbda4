// Argument parsing on node:util parseArgs. The original demos used single-dash long options
// (`-cons nodeB`, `-mc 224.1.1.1/5000`), so those spellings are accepted too.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError } from './errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * `-cons` → `--cons` for every long option name in `options` (single letters stay short).
 * Arguments after a `--` terminator are positionals and are left as they are.
 */
export function normalizeDashes(argv: readonly string[], options: Options): string[] {
  const end = argv.indexOf('--')
  return argv.map((a, i) => {
    if ((end >= 0 && i > end) || !/^-[^-]/.test(a)) return a
    const [name] = a.slice(1).split('=', 1)
    return name && name.length > 1 && name in options ? `-${a}` : a
  })
}

/** parseArgs with our usage errors and the single-dash spellings. */
export type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>
>

export function parse<T extends Options>(argv: readonly string[], options: T, allowPositionals = false): Parsed<T> {
  try {
    return parseArgs({ args: normalizeDashes(argv, options), options, allowPositionals, strict: true })
  } catch (err) {
    throw new CliError('CLI_USAGE', (err as Error).message.split('\n')[0] ?? 'bad arguments')
  }
}

/** An integer option value, or the default. */
export function intOption(value: string | undefined, name: string, dflt: number, min = 0): number {
  if (value === undefined) return dflt
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new CliError('CLI_USAGE', `--${name} expects an integer ≥ ${min}, got "${value}"`)
  return n
}

/** A non-negative number option value (seconds may be fractional), or the default. */
export function numberOption(value: string | undefined, name: string, dflt: number): number {
  if (value === undefined) return dflt
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new CliError('CLI_USAGE', `--${name} expects a number ≥ 0, got "${value}"`)
  return n
}
