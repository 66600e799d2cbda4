// One compliance suite for the stores, run on the memory and the disk implementation; then what
// only the disk store does: survive a reopen, cut a torn tail, compact, refuse a second opener.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir, type TempDir } from '@tinyssb/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MvdsError, memoryStores, messageId, peerKey, type MvdsMessage, type MvdsStores, type SyncRecord } from '../src/index.js'
import { JOURNAL_FILE, openFsStores, type FsRepair } from '../src/fs/index.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const G1 = new Uint8Array(32).fill(1)
const G2 = new Uint8Array(32).fill(2)
const P1 = peerKey('udp', '127.0.0.1:1')
const P2 = peerKey('udp', '127.0.0.1:2')
const msg = (n: number, extra: Partial<MvdsMessage> = {}): MvdsMessage => ({ groupId: G1, timestamp: BigInt(n), body: Uint8Array.of(n), ...extra })
const rec = (id: Uint8Array, o: Partial<SyncRecord> = {}): SyncRecord => ({ peer: P1, id, type: 'MESSAGE', groupId: G1, sendCount: 0, sendEpoch: 1, copy: 0, ...o })
const view = (r: SyncRecord | undefined) => r && { ...r, id: hex(r.id), groupId: r.groupId && hex(r.groupId) }

let dir: TempDir
beforeEach(async () => {
  dir = await tempDir('mvds-store-')
})
afterEach(() => dir.cleanup())

const impls: [string, () => MvdsStores][] = [
  ['memory', () => memoryStores()],
  ['fs', () => openFsStores({ dir: join(dir.path, 'data'), createIfMissing: true })],
]

describe.each(impls)('store compliance: %s', (_name, open) => {
  it('messages: add once, has, get, entries in order', () => {
    const s = open()
    const ids = [1, 2, 3].map((n) => messageId(msg(n)))
    expect(s.messages.add(ids[0]!, msg(1))).toBe(true)
    expect(s.messages.add(ids[0]!, msg(1))).toBe(false)
    s.messages.add(ids[1]!, msg(2, { metadata: { parents: [ids[0]!], ephemeral: false } }))
    s.messages.add(ids[2]!, msg(3, { timestamp: -(1n << 63n) }))
    expect(s.messages.size).toBe(3)
    expect(s.messages.has(ids[1]!)).toBe(true)
    expect(s.messages.has(new Uint8Array(32))).toBe(false)
    expect(s.messages.get(new Uint8Array(32))).toBeUndefined()
    expect(s.messages.get(ids[1]!)!.metadata!.parents.map(hex)).toEqual([hex(ids[0]!)])
    expect([...s.messages.entries()].map(([id]) => hex(id))).toEqual(ids.map(hex))
    s.close()
  })

  it('state: put replaces in place, get by key and copy, remove by pair or type, count per peer', () => {
    const s = open()
    const a = new Uint8Array(32).fill(0xa)
    const b = new Uint8Array(32).fill(0xb)
    s.state.put(rec(a))
    s.state.put(rec(a, { type: 'OFFER' }))
    s.state.put(rec(b, { type: 'REQUEST', groupId: undefined }))
    s.state.put(rec(a, { copy: 1 }))
    s.state.put(rec(a, { peer: P2 }))
    s.state.put(rec(a, { sendCount: 3, sendEpoch: 9 })) // replaces the first, keeps its place
    expect(s.state.size).toBe(5)
    expect(s.state.count(P1)).toBe(4)
    expect(view(s.state.get(P1, a, 'MESSAGE'))).toEqual(view(rec(a, { sendCount: 3, sendEpoch: 9 })))
    expect(s.state.get(P1, a, 'MESSAGE', 1)?.copy).toBe(1)
    expect(s.state.get(P1, b, 'REQUEST')?.groupId).toBeUndefined()
    expect(s.state.records().map((r) => `${r.type}${r.copy}`)).toEqual(['MESSAGE0', 'OFFER0', 'REQUEST0', 'MESSAGE1', 'MESSAGE0'])
    expect(s.state.remove(P1, a, 'OFFER')).toBe(1)
    expect(s.state.remove(P1, a)).toBe(2)
    expect(s.state.remove(P1, a)).toBe(0)
    expect(s.state.count(P1)).toBe(1)
    expect(s.state.count(P2)).toBe(1)
    s.close()
  })

  it('peers: share, unshare, list per group in order, epoch', () => {
    const s = open()
    expect(s.peers.add(G1, P1)).toBe(true)
    expect(s.peers.add(G1, P1)).toBe(false)
    s.peers.add(G1, P2)
    s.peers.add(G2, P2)
    expect(s.peers.peers(G1)).toEqual([P1, P2])
    expect(s.peers.shares(G2, P1)).toBe(false)
    expect(s.peers.groups().map(hex).sort()).toEqual([hex(G1), hex(G2)])
    expect(s.peers.remove(G2, P2)).toBe(true)
    expect(s.peers.remove(G2, P2)).toBe(false)
    expect(s.peers.groups().map(hex)).toEqual([hex(G1)])
    expect(s.peers.getEpoch()).toBe(0)
    s.peers.setEpoch(41)
    expect(s.peers.getEpoch()).toBe(41)
    expect(() => s.peers.setEpoch(-1)).toThrow(RangeError)
    s.flush()
    s.close()
    expect(() => s.flush()).toThrow(MvdsError)
  })
})

describe('fs store', () => {
  const data = () => join(dir.path, 'data')
  const fill = (s: MvdsStores) => {
    const id = messageId(msg(1))
    s.messages.add(id, msg(1))
    s.state.put(rec(id, { sendCount: 2, sendEpoch: 7 }))
    s.peers.add(G1, P1)
    s.peers.setEpoch(5)
    return id
  }

  it('refuses a missing directory unless createIfMissing', () => {
    expect(() => openFsStores({ dir: data() })).toThrow(/createIfMissing/)
  })

  it('a reopen restores what was flushed', () => {
    const s = openFsStores({ dir: data(), createIfMissing: true })
    const id = fill(s)
    s.close()
    const t = openFsStores({ dir: data() })
    expect(t.messages.get(id)?.body).toEqual(Uint8Array.of(1))
    expect(view(t.state.get(P1, id, 'MESSAGE'))).toEqual(view(rec(id, { sendCount: 2, sendEpoch: 7 })))
    expect(t.peers.peers(G1)).toEqual([P1])
    expect(t.peers.getEpoch()).toBe(5)
    t.close()
  })

  it('cuts a torn tail and reports it', () => {
    const s = openFsStores({ dir: data(), createIfMissing: true })
    const id = fill(s)
    s.close()
    const path = join(data(), JOURNAL_FILE)
    const good = statSync(path).size
    appendFileSync(path, Uint8Array.of(200, 0, 0, 0, 1, 2, 3)) // a header promising 200 bytes, then the crash
    const repairs: FsRepair[] = []
    const t = openFsStores({ dir: data(), onRepair: (r) => repairs.push(r) })
    expect(repairs).toEqual([{ kind: 'torn-tail', offset: good, bytesCut: 7 }])
    expect(statSync(path).size).toBe(good)
    expect(t.messages.has(id)).toBe(true)
    t.close()
  })

  it('a flipped bit in the last record is a torn tail too (CRC)', () => {
    const s = openFsStores({ dir: data(), createIfMissing: true })
    fill(s)
    s.close()
    const path = join(data(), JOURNAL_FILE)
    const bytes = readFileSync(path)
    bytes[bytes.length - 1]! ^= 1 // the epoch record
    writeFileSync(path, bytes)
    const t = openFsStores({ dir: data() })
    expect(t.peers.getEpoch()).toBe(0)
    expect(t.messages.size).toBe(1)
    t.close()
  })

  it('compacts a journal of churn to its live records', () => {
    const s = openFsStores({ dir: data(), createIfMissing: true })
    const id = fill(s)
    for (let i = 0; i < 30_000; i++) s.state.put(rec(id, { sendCount: i, sendEpoch: i }))
    s.flush()
    const size = statSync(join(data(), JOURNAL_FILE)).size
    expect(size).toBeLessThan(2_000)
    s.close()
    const t = openFsStores({ dir: data() })
    expect(t.state.get(P1, id, 'MESSAGE')?.sendCount).toBe(29_999)
    expect(t.peers.peers(G1)).toEqual([P1])
    t.close()
  })

  it('one process at a time', () => {
    const s = openFsStores({ dir: data(), createIfMissing: true })
    expect(() => openFsStores({ dir: data() })).toThrow(/in use/)
    s.close()
    openFsStores({ dir: data() }).close()
  })
})
