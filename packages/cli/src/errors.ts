import { TinySSBError } from '@tinyssb/packet'

/** Codes of {@link CliError}. */
export type CliErrorCode =
  | 'CLI_USAGE' // unknown command or option, missing or malformed argument
  | 'CLI_EXISTS' // a target exists and --force was not given
  | 'CLI_NOT_FOUND' // a data directory, node or log that is not there
  | 'CLI_NOT_DATA_DIR' // --data names a file, or init --force a directory that holds other things
  | 'CLI_KEY_MISMATCH' // a config.json whose feedID is not the public key of its secret
  | 'CLI_IO' // a file or directory could not be created or read
  | 'CLI_VERIFY' // a log failed verification (or log dump met a bad entry)
  | 'CLI_TIMEOUT' // --timeout expired before the goal was reached
  | 'CLI_FORK' // an append to the node's own feed could fork it (log cut back, lost or damaged): recover, repair or --force

/** A command-line failure: printed as one line on stderr, never with a stack trace. */
export class CliError extends TinySSBError<CliErrorCode> {
  override name = 'CliError'
  /** The process exit code: 2 for usage errors, 1 otherwise. */
  get exitCode(): number {
    return this.code === 'CLI_USAGE' ? 2 : 1
  }
}

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file is in the way',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EISDIR: 'it is a directory',
}

/** A file-system error as one line: `cannot <what>: <reason> (<CODE>)`. */
export function fsError(what: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException | null)?.code
  const reason = (code && REASONS[code]) ?? (err as Error | null)?.message ?? String(err)
  return new CliError('CLI_IO', `cannot ${what}: ${reason}${code ? ` (${code})` : ''}`, { cause: err })
}
