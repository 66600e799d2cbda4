// Where commands write: injected so tests can capture output without spawning processes.

/** Output channels of a command. */
export interface Io {
  /** A line of regular output (stdout). */
  out(line: string): void
  /** A line of diagnostics (stderr). */
  err(line: string): void
  /** Whether stdout is a terminal (colors on). */
  readonly tty: boolean
}

/** The process's stdout and stderr. */
export const processIo: Io = {
  out: (l) => void process.stdout.write(`${l}\n`),
  err: (l) => void process.stderr.write(`${l}\n`),
  tty: Boolean(process.stdout.isTTY),
}
