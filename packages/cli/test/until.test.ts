// The consumer's --until goal (until.ts) with a fake node and memory stores: reached only once the
// replica holds the entry and every sidechain is complete — sidechains already in the log at the
// start and ones that arrive — and not before; plain entries cost no store reads.
import { createChainEntry, createPlainEntry, genesisPosition, type Entry } from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { memoryBlobStore, memoryLogStore } from '@tinyssb/repo'
import { describe, expect, it } from 'vitest'
import { watchUntil } from '../src/until.js'

const signer = nodeEd25519.signer(new Uint8Array(32).fill(3))
const fid = signer.publicKey

function fakeNode() {
  const fns = new Map<string, Array<(ev: never) => void>>()
  let front = 0
  const node = {
    on: (name: string, fn: (ev: never) => void) => {
      fns.set(name, [...(fns.get(name) ?? []), fn])
      return () => fns.set(name, (fns.get(name) ?? []).filter((f) => f !== fn))
    },
    front: () => front,
  }
  const emit = (name: string, ev: unknown): void => fns.get(name)?.forEach((f) => f(ev as never))
  return { node: node as unknown as Parameters<typeof watchUntil>[0], emit, setFront: (f: number) => (front = f), listeners: () => [...fns.values()].flat().length }
}

/** A feed of `kinds` entries ('p' plain, 'c' a sidechain of three blobs), with the blobs of each. */
function feed(kinds: string): Array<{ entry: Entry; blobs: Uint8Array[] }> {
  let pos = genesisPosition(fid)
  return [...kinds].map((k, i) => {
    const made = k === 'c' ? createChainEntry(pos, new Uint8Array(250).fill(i), signer) : { entry: createPlainEntry(pos, new Uint8Array([i]), signer), blobs: [] }
    pos = { fid, seq: pos.seq + 1, prev: made.entry.mid }
    return made
  })
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20))

describe('watchUntil', () => {
  it('waits for the entry and for the blobs of sidechains already held and arriving', async () => {
    const logs = memoryLogStore({ verifier: nodeEd25519 })
    const blobs = memoryBlobStore()
    const entries = feed('pcppcp')
    await logs.create(fid)
    for (const { entry } of entries.slice(0, 3)) await logs.append(fid, entry.seq, entry.wire) // held at the start, one sidechain
    const { node, emit, setFront, listeners } = fakeNode()
    setFront(3)
    let reached = false
    const w = watchUntil(node, logs, blobs, fid, 6)
    void w.reached.then(() => (reached = true))
    for (const { entry } of entries.slice(3)) {
      await logs.append(fid, entry.seq, entry.wire)
      setFront(entry.seq)
      emit('append', { fid, seq: entry.seq, mid: entry.mid, source: 'remote', wire: entry.wire })
    }
    await settle()
    expect(reached).toBe(false) // at [6], but no blob at all
    for (const b of entries[4]!.blobs) await blobs.put(b)
    emit('blob', {})
    await settle()
    expect(reached).toBe(false) // the sidechain held at the start still lacks its blobs
    for (const b of entries[1]!.blobs.slice(0, 2)) await blobs.put(b)
    emit('blob', {})
    await settle()
    expect(reached).toBe(false) // one blob missing
    await blobs.put(entries[1]!.blobs[2]!)
    emit('blob', {})
    await settle()
    expect(reached).toBe(true)
    expect(listeners()).toBe(0) // it stopped listening
  })

  it('is reached at once when the log is there already, and not by another feed\'s entries', async () => {
    const logs = memoryLogStore({ verifier: nodeEd25519 })
    const entries = feed('ppp')
    await logs.create(fid)
    for (const { entry } of entries) await logs.append(fid, entry.seq, entry.wire)
    const { node, setFront } = fakeNode()
    setFront(3)
    await expect(watchUntil(node, logs, memoryBlobStore(), fid, 3).reached).resolves.toBeUndefined()

    const { node: behind, emit, setFront: move } = fakeNode()
    let reached = false
    const w = watchUntil(behind, logs, memoryBlobStore(), fid, 5)
    void w.reached.then(() => (reached = true))
    emit('append', { fid: new Uint8Array(32).fill(9), seq: 7, mid: new Uint8Array(20), source: 'remote', wire: entries[0]!.entry.wire })
    await settle()
    expect(reached).toBe(false)
    move(5)
    emit('append', { fid, seq: 5, mid: new Uint8Array(20), source: 'remote', wire: entries[0]!.entry.wire })
    await settle()
    expect(reached).toBe(true)
    w.stop()
  })
})
