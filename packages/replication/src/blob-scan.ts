// The start-up scan for incomplete sidechains: after start, in the background, the chain of each
// chain20 entry of every held log is checked (BlobRequester.checkNow). A log's 'caught-up' waits
// until the log was scanned; a log whose replica caught up meanwhile is scanned next.
//
// Chosen by measurement (bench/many-feeds.mjs, 10 000 logs × 100 plain48 entries, 2 cores, busy):
// - The scan used to stream every entry of every log through entries(), which follows the chain
//   (hashes per entry): ~7 s of CPU per start, +35 MiB of peak RSS on a serve-only node, and a
//   one-feed consumer answered after 150-500 ms instead of ~40 ms. It now asks the store for
//   chain20 entries only (LogStore.entriesOfType; entries() for a store without it). The file
//   store answers a log without any from its type index after reading its header: ~0.5 s of CPU
//   for 10 000 logs, mostly opening files. Without the index (the first start after an upgrade) it
//   reads the type bytes of every block, no hashing: about as fast for logs this short, but
//   growing with their length, which the index does not.
// - A "has chain20" fact kept by the replication engine itself was not an option: it persists
//   nothing; a lazy check when a log is first asked for would leave the logs nobody asks for
//   incomplete, which the tests forbid.
// - Paced, at low priority: after BLOB_SCAN_STEP units of work (a log costs LOG_COST, an entry
//   one) it rests IDLE_PER_WORK times as long as the turn took, on the node's clock, so frames
//   and timers keep most of the time (the consumer is then answered as fast as with no scan); it
//   waits while the requester tracks as many chains as it may. It takes the list of logs the node
//   made at start (listing 10 000 logs again held every received frame back for ~200 ms).
// - A log that cannot be read is skipped (its chains are not looked at), never the whole scan; a
//   log one of whose chains overflowed the requester while it was read is read again after.
import { ENTRY_TYPE, PACKET_BYTES, type TypedEntry } from '@tinyssb/packet'
import type { BlobRequester } from './blob-requests.js'
import type { NodeContext } from './context.js'
import { BLOB_SCAN_STEP } from './extension-options.js'
import { bkey } from './keys.js'

/** Units of scan work a log costs before its entries (opening it, reading its header). */
const LOG_COST = 8
/**
 * After a turn of scanning the scan waits this many times as long as the turn took (on the
 * node's clock): it takes at most a quarter of a core, leaving the rest to serving and replicating.
 */
const IDLE_PER_WORK = 3

/** A log to scan. */
interface Item {
  readonly fid: Uint8Array
  readonly key: string
  /** Put in the urgent list (it may still sit in the queue: skipped there once scanned). */
  urgent: boolean
}

/** Scans the held logs once per start. */
export class ChainScanner {
  readonly #ctx: NodeContext
  readonly #requester: BlobRequester
  readonly #step: number
  /** Logs still to scan (each holds one `open` of the requester until scanned), from #head on. */
  #queue: Item[] = []
  #head = 0
  /** Logs to scan before the queue: a replica caught up and its 'caught-up' waits for the scan. */
  #urgent: Item[] = []
  /** The logs queued and not scanned yet, by key. */
  readonly #queued = new Map<string, Item>()
  /** The log being read. */
  #current: Item | undefined
  /** Logs to scan again once their current scan is done. */
  readonly #again = new Set<string>()
  #generation = 0
  #active = false
  #running = false
  #wake: (() => void) | undefined
  /** When the current turn of work began (clock time). */
  #turn = 0

  constructor(ctx: NodeContext, requester: BlobRequester, step = BLOB_SCAN_STEP) {
    this.#ctx = ctx
    this.#requester = requester
    this.#step = Math.max(1, step)
    requester.onRoom = () => this.#resume()
    requester.onOverflow = (fidKey) => this.rescan(fidKey)
    requester.onGated = (fidKey) => this.prioritize(fidKey)
  }

  /** Scans the log of `fidKey` next, if it is still to be scanned. */
  prioritize(fidKey: string): void {
    const item = this.#queued.get(fidKey)
    if (item && !item.urgent && item !== this.#current) {
      item.urgent = true
      this.#urgent.push(item)
    }
  }

  /** Scans the log of `fidKey` (again) once the requester has room: it had more incomplete chains than tracked. */
  rescan(fidKey: string): void {
    if (!this.#active) return
    // the log being read: read again once done (the chain may lie behind the point reached)
    if (this.#current?.key === fidKey) return void this.#again.add(fidKey)
    if (this.#queued.has(fidKey)) return
    this.#enqueue(Uint8Array.from(fidKey, (c) => c.charCodeAt(0)), fidKey)
    if (!this.#running) void this.#run(this.#generation).catch(() => this.stop())
  }

  /** Logs not scanned yet. */
  get pending(): number {
    return this.#queued.size
  }

  /**
   * Starts scanning the logs `held` (the node listed them at start: listing them again costs as
   * much), or every log of the store, in the background.
   */
  async start(held?: readonly Uint8Array[]): Promise<void> {
    const generation = ++this.#generation
    const fids: Uint8Array[] = held ? [...held] : []
    if (!held) for await (const fid of this.#ctx.logs.feeds()) fids.push(fid)
    if (generation !== this.#generation) return
    this.#active = true
    for (const fid of fids) this.#enqueue(fid, bkey(fid))
    void this.#run(generation).catch(() => this.stop())
  }

  /** Stops scanning; the logs not scanned no longer hold back their 'caught-up'. */
  stop(): void {
    this.#generation++
    this.#active = false
    const left = [...this.#queued.keys()]
    this.#queue = []
    this.#head = 0
    this.#urgent = []
    this.#current = undefined
    this.#queued.clear()
    this.#again.clear()
    for (const key of left) this.#requester.close(key)
    this.#resume()
  }

  #enqueue(fid: Uint8Array, key: string): void {
    this.#requester.open(key)
    const item = { fid, key, urgent: false }
    this.#queued.set(key, item)
    this.#queue.push(item)
  }

  /** The next log to scan (urgent ones first), or undefined when none is left. */
  #next(): Item | undefined {
    while (this.#urgent.length > 0) {
      const item = this.#urgent.shift()!
      if (this.#queued.get(item.key) === item) return item
    }
    while (this.#head < this.#queue.length) {
      const item = this.#queue[this.#head++]!
      if (this.#queued.get(item.key) === item) return item // not scanned as urgent already
    }
    this.#queue = []
    this.#head = 0
    return undefined
  }

  #resume(): void {
    const w = this.#wake
    this.#wake = undefined
    w?.()
  }

  async #run(generation: number): Promise<void> {
    this.#running = true
    try {
      await this.#scan(generation)
    } finally {
      this.#running = false
    }
  }

  async #scan(generation: number): Promise<void> {
    let budget = this.#step
    this.#turn = this.#ctx.clock.now()
    for (let item = this.#next(); item && generation === this.#generation; item = this.#next()) {
      this.#current = item
      const { fid, key: fidKey } = item
      budget -= LOG_COST
      try {
        const logs = this.#ctx.logs
        for await (const e of logs.entriesOfType ? logs.entriesOfType(fid, ENTRY_TYPE.CHAIN20) : this.#chainEntries(fid)) {
          if (generation !== this.#generation) return
          if (e.wire.length !== PACKET_BYTES) continue
          await this.#requester.checkNow(fidKey, e.wire.slice(8, 56))
          if (--budget <= 0 || this.#requester.full) {
            // pause without leaving the log: a store may stream from the anchor (entries() needs
            // every predecessor for the mids), so starting the log over would cost its prefix
            budget = this.#step
            await this.#pause()
            if (generation !== this.#generation) return
          }
        }
      } catch {
        // unreadable (damaged, or gone meanwhile): its chains cannot be looked at; the others can
        if (generation !== this.#generation) return
      }
      this.#current = undefined
      this.#queued.delete(fidKey)
      if (this.#again.delete(fidKey)) this.#enqueue(fid, fidKey)
      this.#requester.close(fidKey)
      if (budget <= 0) {
        budget = this.#step
        await this.#pause()
      }
    }
  }

  /** The chain20 entries of a log, from a store without entriesOfType: every entry read. */
  async *#chainEntries(fid: Uint8Array): AsyncGenerator<TypedEntry> {
    for await (const e of this.#ctx.logs.entries(fid)) if (e.wire[7] === ENTRY_TYPE.CHAIN20) yield e
  }

  /** Waits IDLE_PER_WORK times as long as the turn took (at least the next clock turn), and while the requester is full, for room. */
  async #pause(): Promise<void> {
    const clock = this.#ctx.clock
    const worked = clock.now() - this.#turn
    await new Promise<void>((resolve) => clock.setTimeout(resolve, Math.max(0, worked * IDLE_PER_WORK)))
    while (this.#requester.full && this.pending > 0) await new Promise<void>((resolve) => (this.#wake = resolve))
    this.#turn = clock.now()
  }
}
