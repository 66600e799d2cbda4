// Group commit of a durable log file: an append writes its blocks at once (the page cache), then
// waits for an fdatasync that started after the write. One sync runs at a time, off the event loop
// (libuv's thread pool); the appends that write while it runs share the next one. So a replica
// that receives entries while the disk syncs hands them over in larger and larger batches, and
// the event loop keeps receiving and verifying meanwhile, instead of blocking in fdatasyncSync.
import { fdatasync } from 'node:fs'

/** What a {@link groupCommit} syncs and tells. */
export interface GroupCommitHooks<M> {
  /** The file descriptor to sync. */
  readonly fd: number
  /** What was written when a sync starts (the file's tail); handed to `synced` once it is on disk. */
  mark(): M
  /** Everything up to `mark` is on disk: make it visible (the log writes its header front). May throw. */
  synced(mark: M): void
  /** A sync (or `synced`) failed: nothing beyond the last synced mark may stay (the log cuts it). */
  failed(err: unknown): void
  /** The sync call: node:fs fdatasync, replaced in tests. */
  readonly sync?: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void
}

/** The commits of one file. */
export interface GroupCommit {
  /** Resolves once everything written before the call is on disk and `synced` ran for it. */
  wait(): Promise<void>
  /** Whether a sync runs or commits wait for one. */
  busy(): boolean
  /** Resolves once no sync runs or waits (never rejects). */
  idle(): Promise<void>
}

interface Waiter {
  resolve(): void
  reject(err: unknown): void
}

/** A group commit over `hooks.fd`; see the file comment. */
export function groupCommit<M>(hooks: GroupCommitHooks<M>): GroupCommit {
  const sync = hooks.sync ?? fdatasync
  let running = false
  let scheduled = false
  let current: Waiter[] = [] // wrote before the running sync started
  let next: Waiter[] = [] // wrote while it ran: the next sync covers them
  let idlers: Array<() => void> = []

  const start = (): void => {
    scheduled = false
    running = true
    current = next
    next = []
    const mark = hooks.mark()
    const done = (err: unknown): void => {
      running = false
      const synced = current
      current = []
      let failure: unknown = err ?? undefined // node passes null for success
      if (failure === undefined) {
        try {
          hooks.synced(mark)
        } catch (e) {
          failure = e
        }
      }
      if (failure !== undefined) {
        // the writes after the mark went to a file that is cut back: they fail too
        const all = [...synced, ...next]
        next = []
        try {
          hooks.failed(failure)
        } catch {
          // the waiters learn of the failure below either way
        }
        for (const w of all) w.reject(failure)
      } else {
        for (const w of synced) w.resolve()
      }
      if (next.length > 0) schedule()
      else settle()
    }
    try {
      sync(hooks.fd, done)
    } catch (err) {
      done(err) // a bad descriptor can throw at once
    }
  }
  // a microtask later: the writes made in the same turn (appends issued together) share the sync
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(start)
  }
  const settle = (): void => {
    const fns = idlers
    idlers = []
    for (const f of fns) f()
  }

  return {
    wait() {
      return new Promise<void>((resolve, reject) => {
        next.push({ resolve, reject })
        if (!running) schedule()
      })
    },
    busy: () => running || next.length > 0,
    idle() {
      if (!running && next.length === 0) return Promise.resolve()
      return new Promise((resolve) => idlers.push(resolve))
    },
  }
}
