// Parallel ed25519 verification on worker threads (Node only), for catching up: a batch of entries
// is split between the calling thread and the workers, each checking its share with node:crypto.
// The verdicts are those of nodeEd25519.verify (the workers run exactly that function).
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { SignatureScheme, VerifyItem } from './crypto.js'
import { nodeEd25519 } from './ed25519-node.js'

/** Batches smaller than this are checked on the calling thread: a message round trip costs more. */
const MIN_PARALLEL_BATCH = 8

/** Options of {@link parallelEd25519}. */
export interface ParallelVerifierOptions {
  /** Worker threads (default: available cores − 1, at least 1). 0 = no workers: plain nodeEd25519. */
  readonly threads?: number
}

/** A node:crypto ed25519 scheme whose verifyMany() uses worker threads; close() stops them. */
export interface ParallelEd25519 extends SignatureScheme {
  verifyMany(items: readonly VerifyItem[]): Promise<boolean[]>
  /** Terminates the workers (they never keep a process alive; this frees them early). */
  close(): Promise<void>
}

interface Pending {
  resolve(ok: Uint8Array): void
  reject(err: unknown): void
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

/**
 * ed25519 on node:crypto with a worker pool for verifyMany().
 * @example
 * ```ts
 * import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
 * const scheme = parallelEd25519()
 * const oks = await scheme.verifyMany(items) // same verdicts as scheme.verify, item by item
 * await scheme.close()
 * ```
 */
export function parallelEd25519(opts: ParallelVerifierOptions = {}): ParallelEd25519 {
  const threads = Math.max(0, opts.threads ?? Math.max(1, availableParallelism() - 1))
  const workers: Worker[] = []
  const pending = new Map<number, Pending>()
  let nextId = 0
  let closed = false

  function start(): void {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./verify-worker.js', import.meta.url))
      w.unref()
      w.on('message', (m: { id: number; ok: Uint8Array }) => {
        const p = pending.get(m.id)
        pending.delete(m.id)
        p?.resolve(m.ok)
      })
      w.on('error', (err) => {
        for (const p of pending.values()) p.reject(err)
        pending.clear()
      })
      workers.push(w)
    }
  }

  function onWorker(w: Worker, items: readonly VerifyItem[]): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      const buf = pack(items)
      w.postMessage({ id, buf }, [buf])
    })
  }

  const verifyLocal = (items: readonly VerifyItem[]) => items.map((it) => nodeEd25519.verify(it.sig, it.msg, it.publicKey))

  return {
    alg: 'ed25519',
    backend: 'node-crypto',
    publicKey: (seed) => nodeEd25519.publicKey(seed),
    signer: (seed) => nodeEd25519.signer(seed),
    verify: (sig, msg, pk) => nodeEd25519.verify(sig, msg, pk),
    async verifyMany(items) {
      if (closed || threads === 0 || items.length < MIN_PARALLEL_BATCH) return verifyLocal(items)
      if (workers.length === 0) start()
      // equal shares for the workers and this thread; this thread checks the first share meanwhile
      const share = Math.ceil(items.length / (workers.length + 1))
      const remote = workers.map((w, i) => {
        const part = items.slice(share * (i + 1), share * (i + 2))
        return part.length ? onWorker(w, part) : Promise.resolve(new Uint8Array(0))
      })
      const local = verifyLocal(items.slice(0, share))
      const parts = await Promise.all(remote)
      for (const p of parts) for (const ok of p) local.push(ok === 1)
      return local
    },
    async close() {
      closed = true
      const ws = workers.splice(0)
      for (const p of pending.values()) p.reject(new Error('verifier closed'))
      pending.clear()
      await Promise.all(ws.map((w) => w.terminate()))
    },
  }
}
