// The start-up scan for incomplete sidechains: after start, in the background, every held log is
// read once and the chain of each chain20 entry is checked (BlobRequester.checkNow). Paced: it
// yields to the clock every BLOB_SCAN_STEP entries and waits while the requester tracks as many
// chains as it may. A log's 'caught-up' waits until the log was scanned.
import { ENTRY_TYPE, PACKET_BYTES } from '@tinyssb/packet'
import type { BlobRequester } from './blob-requests.js'
import type { NodeContext } from './context.js'
import { BLOB_SCAN_STEP } from './extension-options.js'
import { bkey } from './keys.js'

/** Scans the held logs once per start. */
export class ChainScanner {
  readonly #ctx: NodeContext
  readonly #requester: BlobRequester
  readonly #step: number
  /** Logs still to scan (each holds one `open` of the requester until scanned). */
  #queue: Array<{ fid: Uint8Array; from: number | undefined }> = []
  #generation = 0
  #active = false
  #running = false
  #wake: (() => void) | undefined

  constructor(ctx: NodeContext, requester: BlobRequester, step = BLOB_SCAN_STEP) {
    this.#ctx = ctx
    this.#requester = requester
    this.#step = Math.max(1, step)
    requester.onRoom = () => this.#resume()
    requester.onOverflow = (fidKey) => this.rescan(fidKey)
  }

  /** Scans the log of `fidKey` (again) once the requester has room: it had more incomplete chains than tracked. */
  rescan(fidKey: string): void {
    if (!this.#active || this.#queue.some((q) => bkey(q.fid) === fidKey)) return
    this.#requester.open(fidKey)
    this.#queue.push({ fid: Uint8Array.from(fidKey, (c) => c.charCodeAt(0)), from: undefined })
    if (!this.#running) void this.#run(this.#generation).catch(() => this.stop())
  }

  /** Logs not scanned yet. */
  get pending(): number {
    return this.#queue.length
  }

  /** Starts scanning every log of the store (in the background). */
  async start(): Promise<void> {
    const generation = ++this.#generation
    const queue: Uint8Array[] = []
    for await (const fid of this.#ctx.logs.feeds()) queue.push(fid)
    if (generation !== this.#generation) return
    this.#active = true
    for (const fid of queue) {
      this.#requester.open(bkey(fid))
      this.#queue.push({ fid, from: undefined })
    }
    void this.#run(generation).catch(() => this.stop())
  }

  /** Stops scanning; the logs not scanned no longer hold back their 'caught-up'. */
  stop(): void {
    this.#generation++
    this.#active = false
    for (const { fid } of this.#queue.splice(0)) this.#requester.close(bkey(fid))
    this.#resume()
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
    while (generation === this.#generation && this.#queue.length > 0) {
      const item = this.#queue[0]!
      const fidKey = bkey(item.fid)
      for await (const e of this.#ctx.logs.entries(item.fid, item.from)) {
        if (generation !== this.#generation) return
        if (e.wire.length === PACKET_BYTES && e.wire[7] === ENTRY_TYPE.CHAIN20) await this.#requester.checkNow(fidKey, e.wire.slice(8, 56))
        item.from = e.seq + 1
        if (--budget <= 0 || this.#requester.full) {
          // pause without leaving the log: a store streams entries from the anchor (mids need
          // every predecessor), so starting the log over would cost its whole prefix each time
          budget = this.#step
          await this.#pause()
          if (generation !== this.#generation) return
        }
      }
      this.#queue.shift()
      this.#requester.close(fidKey)
    }
  }

  /** Waits for the next clock turn, and while the requester is full, for room. */
  async #pause(): Promise<void> {
    const clock = this.#ctx.clock
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 0))
    while (this.#requester.full && this.#queue.length > 0) await new Promise<void>((resolve) => (this.#wake = resolve))
  }
}
