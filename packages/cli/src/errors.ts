import { TinySSBError } from '@tinyssb/packet'

/** Codes of {@link CliError}. */
export type CliErrorCode =
  | 'CLI_USAGE' // unknown command or option, missing or malformed argument
  | 'CLI_EXISTS' // a target exists and --force was not given
  | 'CLI_NOT_FOUND' // a data directory, node or log that is not there
  | 'CLI_VERIFY' // a log failed verification
  | 'CLI_TIMEOUT' // --timeout expired before the goal was reached

/** A command-line failure: printed as one line on stderr, never with a stack trace. */
export class CliError extends TinySSBError<CliErrorCode> {
  override name = 'CliError'
  /** The process exit code: 2 for usage errors, 1 otherwise. */
  get exitCode(): number {
    return this.code === 'CLI_USAGE' ? 2 : 1
  }
}
