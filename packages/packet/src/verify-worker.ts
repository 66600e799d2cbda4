// The worker side of verify-pool.ts: unpacks a batch, checks each signature with the backend the
// pool names (libsodium or node:crypto: one strict rule), answers one byte per item (1 = valid).
import { parentPort } from 'node:worker_threads'
import { pickEd25519 } from './pick-ed25519.js'

parentPort?.on('message', (m: { id: number; buf: ArrayBuffer; backend?: 'sodium' | 'node-crypto' }) => {
  const scheme = pickEd25519(m.backend === 'sodium' ? 'sodium' : 'node-crypto')
  const buf = new Uint8Array(m.buf)
  const view = new DataView(m.buf)
  const n = view.getUint32(0)
  const ok = new Uint8Array(n)
  let o = 4
  for (let i = 0; i < n; i++) {
    const len = view.getUint32(o + 96)
    ok[i] = scheme.verify(buf.subarray(o, o + 64), buf.subarray(o + 100, o + 100 + len), buf.subarray(o + 64, o + 96)) ? 1 : 0
    o += 100 + len
  }
  parentPort!.postMessage({ id: m.id, ok }, [ok.buffer])
})
