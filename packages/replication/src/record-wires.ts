// The wires of the records of one WANT, for the WANT server: consecutive records read together.
import type { LogStore, WantRecord } from '@tinyssb/packet'

/**
 * The wires of a WANT's records, read as they are served: a run of consecutive records (one feed,
 * seq+1 each) with one LogStore.getRange when the store has it, else one get per record. At most
 * the WANT's records are read (MAX_WANT_RECORDS).
 */
export class RecordWires {
  readonly #logs: LogStore
  readonly #records: readonly WantRecord[]
  readonly #keys: readonly string[]
  /** Wires read ahead for records #at, #at+1, … */
  #ahead: Uint8Array[] = []
  #at = 0
  /** Set when a range read failed: one get per record from then on (it serves up to what is damaged). */
  #single: boolean

  /** `keys`: the bkey of each record's fid. */
  constructor(logs: LogStore, records: readonly WantRecord[], keys: readonly string[]) {
    this.#logs = logs
    this.#records = records
    this.#keys = keys
    this.#single = !logs.getRange
  }

  /** The wire of record `i`, or undefined when not held. */
  async get(i: number): Promise<Uint8Array | undefined> {
    const j = i - this.#at
    if (j >= 0 && j < this.#ahead.length) return this.#ahead[j]
    const rec = this.#records[i]!
    const n = this.#single ? 1 : this.#runLength(i)
    if (n === 1) return this.#logs.get(rec.fid, rec.seq)
    try {
      this.#ahead = await this.#logs.getRange!(rec.fid, rec.seq, n)
      this.#at = i
    } catch {
      this.#single = true
      return this.#logs.get(rec.fid, rec.seq)
    }
    return this.#ahead[0]
  }

  /** How many records from `i` ask for consecutive entries of one feed. */
  #runLength(i: number): number {
    const recs = this.#records
    let n = 1
    while (i + n < recs.length && this.#keys[i + n] === this.#keys[i] && recs[i + n]!.seq === recs[i]!.seq + n) n++
    return n
  }
}
