// The trace: every transmission, reception and drop, plus appends and first holds, as records
// {t, event, from, to, medium, bytes, tag}. Sinks consume them as they happen (metrics, a JSON
// lines writer, a hash), so a long run never keeps its trace in memory unless asked to.

/** Why a frame was lost. */
export type DropReason =
  | 'OFFLINE' // the sender or the receiver was offline
  | 'SEND_LOSS' // lost at the sender (send_reliability)
  | 'LOSS' // lost on the medium for this receiver (loss)
  | 'RECEIVE_LOSS' // not received (receive_reliability)
  | 'COLLISION' // overlapped another transmission on a broadcast medium with airtime
  | 'MTU' // refused by the face: larger than the medium's MTU

/**
 * One trace record. `t` is in ticks; `to` is null for a broadcast; `item` is "origin#seq". `quiet`
 * (every node has nothing left to retransmit) and `busy` (some node has again) come only from
 * protocols whose nodes say so (MVDS).
 */
export interface TraceEvent {
  readonly t: number
  readonly event: 'tx' | 'rx' | 'drop' | 'append' | 'hold' | 'quiet' | 'busy'
  readonly from: string | null
  readonly to: string | null
  readonly medium: string | null
  readonly bytes: number
  readonly tag: string | null
  readonly reason?: DropReason
  readonly item?: string
}

/** Consumes trace records in order. */
export type TraceSink = (ev: TraceEvent) => void

/** One JSON line per record, keys always in the same order (byte-identical for identical runs). */
export function traceLine(ev: TraceEvent): string {
  return JSON.stringify(ev)
}

/** A sink that hands each record as a JSON line to `write` (e.g. a file stream). */
export function jsonLinesSink(write: (line: string) => void): TraceSink {
  return (ev) => write(`${traceLine(ev)}\n`)
}

/** A running 64-bit FNV-1a hash over the JSON lines: equal runs give equal hashes. */
export function hashSink(): { sink: TraceSink; digest(): string; count(): number } {
  let h1 = 0x811c9dc5
  let h2 = 0xcbf29ce4
  let n = 0
  return {
    sink(ev) {
      const s = traceLine(ev)
      n++
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i)
        h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0
        h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x01000193) >>> 0
      }
      h1 = Math.imul(h1 ^ 10, 0x01000193) >>> 0
    },
    digest: () => h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0'),
    count: () => n,
  }
}
