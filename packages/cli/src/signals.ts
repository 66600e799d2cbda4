// Waiting for the end of a long-running command: SIGINT, SIGTERM, or an optional timeout.

/** A wait that ends on SIGINT, SIGTERM or the timeout; `cancel()` removes the handlers and the timer. */
export interface SignalWait {
  /** Resolves with what ended the wait: 'SIGINT', 'SIGTERM' or 'timeout'. */
  readonly done: Promise<string>
  cancel(): void
}

/**
 * Waits for SIGINT, SIGTERM, the timeout, or — when stdin is a terminal — the Enter key, like the
 * original demos' "Enter return to terminate..." (not with `enter: false`).
 */
export function untilSignal(timeoutSec?: number, stdin: NodeJS.ReadStream = process.stdin, opts: { enter?: boolean } = {}): SignalWait {
  let cancel: () => void = () => {}
  const done = new Promise<string>((resolve) => {
    const end = (why: string) => () => {
      cancel()
      resolve(why)
    }
    const onInt = end('SIGINT')
    const onTerm = end('SIGTERM')
    const onEnter = end('Enter')
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
    const tty = Boolean(stdin.isTTY) && opts.enter !== false // chat reads its lines from stdin itself
    if (tty) stdin.once('data', onEnter)
    const timer = timeoutSec === undefined ? undefined : setTimeout(end('timeout'), timeoutSec * 1000)
    cancel = () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      if (tty) {
        stdin.off('data', onEnter)
        stdin.pause() // let the process exit
      }
      if (timer) clearTimeout(timer)
    }
  })
  return { done, cancel: () => cancel() }
}
