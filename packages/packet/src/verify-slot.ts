// One worker thread of the verify pool (verify-pool.ts): the batches posted to it, kept until
// answered so that they can be checked elsewhere if it dies, and the deadline of the oldest one,
// so that a worker that hangs (a busy loop, never answers) is found out as one that dies is.
import type { Worker } from 'node:worker_threads'
import type { Clock, TimerHandle } from '@tinyssb/core'
import type { VerifyItem } from './crypto.js'

/** What a slot needs from its pool. */
export interface SlotHost {
  readonly clock: Clock
  /** The backend the worker is to use. */
  readonly backend: string
  /** How long the worker may hold a batch of `items` items (from when it got to it). */
  deadline(items: number): number
  /** Checks items on the calling thread (what a dead worker held). */
  verifyLocal(items: readonly VerifyItem[]): boolean[]
  /** The worker answered a batch of `items` items. */
  answered(slot: Slot, items: number): void
  /** The worker died (`timedOut`: it held a batch past its deadline); its batches are answered already. */
  died(slot: Slot, timedOut: boolean): void
}

/** A batch posted to a worker, kept until answered so it can be checked again if the worker dies. */
interface Job {
  readonly items: readonly VerifyItem[]
  resolve(oks: boolean[]): void
}

/** A worker thread and the batches it holds. */
export interface Slot {
  readonly worker: Worker
  /** Batches posted and not answered. */
  readonly held: number
  /** Posts a batch; its verdicts (from the worker, or from this thread if the worker dies). */
  post(items: readonly VerifyItem[]): Promise<boolean[]>
  /** Takes the worker out of service: terminates it and checks what it holds on this thread (idempotent). */
  die(timedOut?: boolean): void
}

/** Packs items as: count(4) ‖ per item: sig(64) ‖ publicKey(32) ‖ msgLen(4) ‖ msg. */
function pack(items: readonly VerifyItem[]): ArrayBuffer {
  let size = 4
  for (const it of items) size += 100 + it.msg.length
  const buf = new Uint8Array(size)
  const view = new DataView(buf.buffer)
  view.setUint32(0, items.length)
  let o = 4
  for (const it of items) {
    if (it.sig.length !== 64 || it.publicKey.length !== 32) {
      buf.fill(0, o, o + 96) // a wrong-length item verifies false, like verify()
    } else {
      buf.set(it.sig, o)
      buf.set(it.publicKey, o + 64)
    }
    view.setUint32(o + 96, it.msg.length)
    buf.set(it.msg, o + 100)
    o += 100 + it.msg.length
  }
  return buf.buffer
}

/** Wraps a started worker. The worker is unref'd while it holds nothing. */
export function startSlot(worker: Worker, host: SlotHost): Slot {
  const jobs = new Map<number, Job>()
  let nextId = 0
  let dead = false
  let timer: TimerHandle | undefined

  /** (Re)arms the deadline of the oldest batch (answers come in the order of the posts). */
  const watch = (): void => {
    if (timer !== undefined) host.clock.clearTimeout(timer)
    timer = undefined
    const head = dead ? undefined : jobs.values().next().value
    if (!head) return
    timer = host.clock.setTimeout(() => {
      timer = undefined
      slot.die(true) // hung: terminated; what it holds is checked on this thread
    }, host.deadline(head.items.length))
  }

  const slot: Slot = {
    worker,
    get held() {
      return jobs.size
    },
    post(items) {
      return new Promise((resolve) => {
        if (dead) return resolve(host.verifyLocal(items))
        const id = nextId++
        const idle = jobs.size === 0
        if (idle) worker.ref()
        jobs.set(id, { items, resolve })
        if (idle) watch()
        const buf = pack(items)
        try {
          worker.postMessage({ id, buf, backend: host.backend }, [buf])
        } catch {
          jobs.delete(id)
          watch()
          resolve(host.verifyLocal(items))
        }
      })
    },
    die(timedOut = false) {
      if (dead) return
      dead = true
      watch()
      const held = [...jobs.values()]
      jobs.clear()
      // nothing posted to a dead worker is left unanswered: its batches are checked on this thread
      for (const job of held) job.resolve(host.verifyLocal(job.items))
      void worker.terminate().catch(() => undefined)
      host.died(slot, timedOut)
    },
  }

  worker.unref() // an idle pool never keeps the process alive; ref'd while it holds jobs
  worker.on('message', (m: { id?: unknown; ok?: unknown } | null) => {
    const job = jobs.get(m?.id as number)
    if (!job) return
    jobs.delete(m!.id as number)
    if (jobs.size === 0) worker.unref()
    const ok = m!.ok
    if (!(ok instanceof Uint8Array) || ok.length !== job.items.length) {
      job.resolve(host.verifyLocal(job.items)) // a garbled answer: check here, and stop trusting the worker
      slot.die()
      return
    }
    watch() // the next batch's deadline runs from now
    job.resolve(Array.from(ok, (b) => b === 1))
    host.answered(slot, ok.length)
  })
  const die = (): void => slot.die()
  worker.on('error', die)
  worker.on('messageerror', die)
  worker.on('exit', die)
  return slot
}
