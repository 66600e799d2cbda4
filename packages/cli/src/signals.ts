// Waiting for the end of a long-running command: SIGINT, SIGTERM, or an optional timeout.

/** A wait that ends on SIGINT, SIGTERM or the timeout; `cancel()` removes the handlers and the timer. */
export interface SignalWait {
  /** Resolves with what ended the wait: 'SIGINT', 'SIGTERM' or 'timeout'. */
  readonly done: Promise<string>
  cancel(): void
}

export function untilSignal(timeoutSec?: number): SignalWait {
  let cancel: () => void = () => {}
  const done = new Promise<string>((resolve) => {
    const end = (why: string) => () => {
      cancel()
      resolve(why)
    }
    const onInt = end('SIGINT')
    const onTerm = end('SIGTERM')
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
    const timer = timeoutSec === undefined ? undefined : setTimeout(end('timeout'), timeoutSec * 1000)
    cancel = () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      if (timer) clearTimeout(timer)
    }
  })
  return { done, cancel: () => cancel() }
}
