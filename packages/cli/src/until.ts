// A consumer's --until goal: the replica holds entry SEQ and every sidechain of the log is
// complete. The sidechain entries are found once in the log as it is at the start (entriesOfType:
// an index where the store has one), then from the engine's append events as they arrive: a
// catch-up costs one type-byte test per entry, and no scan of the whole log at its end.
import { chainStatus, ENTRY_TYPE, equalBytes, type BlobStore, type LogStore } from '@tinyssb/packet'
import type { TinyNode } from '@tinyssb/replication'

/** A watch on a replica's goal; create it before the node starts, so no append is missed. */
export interface UntilWatch {
  /** Resolves once the replica holds entry `until` and every sidechain of the log is complete. */
  readonly reached: Promise<void>
  /** Stops listening (`reached` then never resolves). */
  stop(): void
}

/** The sidechain entries of the log of `fid` right now (entriesOfType when the store has it). */
async function chainSeqs(logs: LogStore, fid: Uint8Array): Promise<number[]> {
  const seqs: number[] = []
  if (logs.entriesOfType) {
    for await (const e of logs.entriesOfType(fid, ENTRY_TYPE.CHAIN20)) seqs.push(e.seq)
  } else {
    for await (const e of logs.entries(fid)) if (e.wire[7] === ENTRY_TYPE.CHAIN20) seqs.push(e.seq)
  }
  return seqs
}

/**
 * Watches the replica of `fid` on `node` until it holds entry `until` and all its sidechains are
 * complete (blobs may arrive after their entry: answers are bounded, missing ones are asked again).
 */
export function watchUntil(node: Pick<TinyNode, 'on' | 'front'>, logs: LogStore, blobs: BlobStore, fid: Uint8Array, until: number): UntilWatch {
  const pending = new Set<number>() // chain20 entries whose sidechain was not complete when last looked at
  let stopped = false
  let done: () => void = () => undefined
  const reached = new Promise<void>((resolve) => (done = resolve))
  const offAppend = node.on('append', (e) => {
    // an event without its wire: looked at like a sidechain entry (its type is read then)
    if ((e.wire === undefined || e.wire[7] === ENTRY_TYPE.CHAIN20) && equalBytes(e.fid, fid)) pending.add(e.seq)
    if (e.seq >= until) kick()
  })
  const offBlob = node.on('blob', () => kick())
  const scanned = chainSeqs(logs, fid).then(
    (seqs) => seqs.forEach((s) => pending.add(s)),
    () => undefined, // an unreadable log: the append events still tell what arrives
  )

  /** Whether every pending sidechain is complete now (the complete ones are forgotten). */
  const sidechainsComplete = async (): Promise<boolean> => {
    await scanned
    for (const seq of [...pending].sort((a, b) => a - b)) {
      const wire = await logs.get(fid, seq)
      const status = wire && wire[7] === ENTRY_TYPE.CHAIN20 && (await chainStatus({ payload48: wire.subarray(8, 56) }, (ptr) => blobs.get(ptr)).catch(() => undefined))
      if (status && !status.complete) return false
      pending.delete(seq)
    }
    return true
  }

  let checking = false
  let again = false
  const check = async (): Promise<void> => {
    if (checking) return void (again = true)
    checking = true
    try {
      if (!stopped && (node.front(fid) ?? 0) >= until && (await sidechainsComplete()) && !stopped) {
        stop()
        done()
      }
    } finally {
      checking = false
      if (again && !stopped) {
        again = false
        void check()
      }
    }
  }
  function kick(): void {
    if (!stopped && (node.front(fid) ?? 0) >= until) void check()
  }
  function stop(): void {
    stopped = true
    offAppend()
    offBlob()
  }
  void scanned.then(kick)
  return { reached, stop }
}
