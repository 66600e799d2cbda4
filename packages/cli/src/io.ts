// Where commands write: injected so tests can capture output without spawning processes.

/** Output channels of a command. */
export interface Io {
  /** A line of regular output (stdout). */
  out(line: string): void
  /** A line of diagnostics (stderr). */
  err(line: string): void
  /** Whether stdout is a terminal. */
  readonly tty: boolean
  /** Whether log lines may be colored: a terminal, NO_COLOR unset, TERM not "dumb". Default: `tty`. */
  readonly color?: boolean
}

/**
 * Colors only on a terminal, and never when the NO_COLOR environment variable is set to anything
 * but the empty string (https://no-color.org) or TERM is "dumb".
 */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb'
}

let stdoutClosed = false
let guarded = false

/**
 * A reader that goes away (`tinyssb log dump | head`) makes stdout fail with EPIPE; unhandled, that
 * is an 'error' event with a stack trace. Output is dropped from then on and the command finishes
 * normally (a write to a store is never cut short by a closed pipe).
 */
function writeOut(line: string): void {
  if (!guarded) {
    guarded = true
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      stdoutClosed = true
      if (err.code !== 'EPIPE') process.stderr.write(`tinyssb: stdout: ${err.message}\n`)
    })
  }
  if (!stdoutClosed) process.stdout.write(line)
}

/** The process's stdout and stderr. */
export const processIo: Io = {
  out: (l) => writeOut(`${l}\n`),
  err: (l) => void process.stderr.write(`${l}\n`),
  tty: Boolean(process.stdout.isTTY),
  color: colorWanted(process.stdout),
}
