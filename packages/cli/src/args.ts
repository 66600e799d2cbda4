// Argument parsing on node:util parseArgs. The original demos used single-dash long options
// (`-cons nodeB`, `-mc 224.1.1.1/5000`), so those spellings are accepted too.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { FID_BYTES, fromHex } from '@tinyssb/packet'
import { CliError } from './errors.js'

type Options = NonNullable<ParseArgsConfig['options']>
/** One option of parseArgs (`OptionConfig`, not exported by @types/node 20). */
export type OptionConfig = Options[string]

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

/**
 * `--interval -1` → `--interval=-1`: parseArgs calls a value starting with a dash "ambiguous"; a
 * negative number after a string option is its value, and is then refused by the option's own check.
 */
export function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') return [...out, ...argv.slice(i)]
    const next = argv[i + 1]
    if (a.startsWith('--') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${a}=${next}`)
      i++
    } else {
      out.push(a)
    }
  }
  return out
}

/** parseArgs with our usage errors and the single-dash spellings. */
export type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>
>

/** Only what parseArgs knows of each option (the help texts stay out). */
function parseArgsOptions(options: Options): Options {
  const plain: Record<string, OptionConfig> = {}
  for (const [name, o] of Object.entries(options)) {
    plain[name] = {
      type: o.type,
      ...(o.multiple !== undefined ? { multiple: o.multiple } : {}),
      ...(o.short !== undefined ? { short: o.short } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
    } as OptionConfig
  }
  return plain
}

export function parse<T extends Options>(argv: readonly string[], options: T, allowPositionals = false): Parsed<T> {
  try {
    const args = joinNegativeValues(normalizeDashes(argv, options), options)
    return parseArgs({ args, options: parseArgsOptions(options), allowPositionals, strict: true }) as Parsed<T>
  } catch (err) {
    throw new CliError('CLI_USAGE', (err as Error).message.split('\n')[0] ?? 'bad arguments')
  }
}

/** An integer option value, or the default. */
export function intOption(value: string | undefined, name: string, dflt: number, min = 0): number {
  if (value === undefined) return dflt
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new CliError('CLI_USAGE', `--${name} expects an integer ≥ ${min}, got "${value}"`)
  return n
}

/** A number option value ≥ `min` (seconds may be fractional), or the default. */
export function numberOption(value: string | undefined, name: string, dflt: number, min = 0, why = ''): number {
  if (value === undefined) return dflt
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new CliError('CLI_USAGE', `--${name} expects a number ≥ ${min}${why ? ` (${why})` : ''}, got "${value}"`)
  }
  return n
}

/** A hex option value as bytes; bad hex is a usage error naming `--name`. */
export function hexOption(value: string, name: string): Uint8Array {
  try {
    return fromHex(value)
  } catch (err) {
    throw new CliError('CLI_USAGE', `--${name}: ${(err as Error).message}`)
  }
}

/** A feed ID option value: 64 hex digits (32 bytes). */
export function feedOption(value: string, name: string): Uint8Array {
  const fid = hexOption(value, name)
  if (fid.length !== FID_BYTES) throw new CliError('CLI_USAGE', `--${name} expects ${FID_BYTES} bytes (64 hex digits), got ${fid.length}`)
  return fid
}
