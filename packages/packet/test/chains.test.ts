// chains.json: chain20 entries and their sidechain blobs, both ways.
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  blobPointer,
  createChainEntry,
  createPlainEntry,
  encodeSidechain,
  encodeVarint,
  firstBlobPointer,
  nextBlobPointer,
  readSidechain,
  readSidechainAsync,
  verifyEntry,
} from '../src/index.js'
import { bytes, expectPacketError, hex, loadVectors, position, type ChainVector, type PlainVector } from './vectors.js'

const chains = loadVectors<{ genesis: Omit<PlainVector, 'payload_in'>; entries: ChainVector[] }>('chains.json')

function blobMap(v: ChainVector, without?: number): Map<string, Uint8Array> {
  return new Map(v.blobs.filter((_, i) => i !== without).map((b) => [b.hashptr, bytes(b.blob)]))
}

/** How many content bytes fit inline: 28 minus the varint. */
const inlineBytes = (v: ChainVector) => Math.min(v.content_len, 28 - v.varint.length / 2)

/** Blob indices whose removal we test: all of them for short chains, a sample for long ones. */
function missingIndices(v: ChainVector): number[] {
  const n = v.blobs.length
  if (n <= 20) return [...Array(n).keys()]
  return [0, 1, Math.floor(n / 2), n - 2, n - 1]
}

it('has the content lengths the README lists', () => {
  expect(chains.entries.map((v) => v.content_len)).toEqual([
    0, 1, 27, 28, 29, 99, 100, 127, 128, 129, 227, 228, 229, 252, 253, 1000, 70000,
  ])
})

it('the genesis plain48 entry builds and verifies', () => {
  const g = chains.genesis
  const signer = nodeEd25519.signer(bytes(g.seed))
  const e = createPlainEntry(position(g), bytes(g.payload48), signer)
  expect(hex(e.wire)).toBe(g.wire)
  expect(hex(e.mid)).toBe(g.mid)
  expect(hex(verifyEntry(position(g), bytes(g.wire), nobleEd25519).mid)).toBe(g.mid)
})

describe.each(chains.entries)('$label', (v) => {
  const content = bytes(v.content)

  it('encodeSidechain gives payload48 and the blobs exactly', () => {
    expect(content.length).toBe(v.content_len)
    expect(hex(encodeVarint(v.content_len))).toBe(v.varint)
    const sc = encodeSidechain(content)
    expect(hex(sc.payload48)).toBe(v.payload48)
    expect(sc.blobs.map(hex)).toEqual(v.blobs.map((b) => b.blob))
    expect(sc.blobs).toHaveLength(v.blob_count)
    expect(sc.blobs.map((b) => hex(blobPointer(b)))).toEqual(v.blobs.map((b) => b.hashptr))
  })

  it('pointers link payload → blob₀ → … → zero', () => {
    const first = firstBlobPointer(bytes(v.payload48))
    expect(first && hex(first)).toBe(v.blobs[0]?.hashptr)
    v.blobs.forEach((b, i) => {
      const next = nextBlobPointer(bytes(b.blob))
      expect(next && hex(next)).toBe(v.blobs[i + 1]?.hashptr)
    })
  })

  it('createChainEntry gives wire and mid; the wire verifies (noble)', () => {
    const { entry, blobs } = createChainEntry(position(v), content, nodeEd25519.signer(bytes(v.seed)))
    expect(hex(entry.wire)).toBe(v.wire)
    expect(hex(entry.mid)).toBe(v.mid)
    expect(hex(entry.dmx)).toBe(v.dmx)
    expect(entry.typ).toBe(1)
    expect(blobs.map(hex)).toEqual(v.blobs.map((b) => b.blob))
    const parsed = verifyEntry(position(v), bytes(v.wire), nobleEd25519)
    expect(parsed.typ).toBe(1)
    expect(hex(parsed.payload)).toBe(v.payload48)
    expect(hex(parsed.mid)).toBe(v.mid)
  })

  it('readSidechain gets the content back from a blob map (sync and async)', async () => {
    const store = blobMap(v)
    const seen: string[] = []
    const r = readSidechain(bytes(v.payload48), (p) => (seen.push(hex(p)), store.get(hex(p))))
    expect(r.complete).toBe(true)
    if (r.complete) expect(hex(r.content)).toBe(v.content)
    expect(r.length).toBe(v.content_len)
    expect(seen).toEqual(v.blobs.map((b) => b.hashptr)) // follows the chain in order, asks once each
    const a = await readSidechainAsync(bytes(v.payload48), async (p) => store.get(hex(p)))
    expect(a.complete && hex(a.content)).toBe(v.content)
  })

  it.runIf(v.blobs.length > 0).each(missingIndices(v))('with blob %i missing: complete false, missing = its pointer', async (i) => {
    const store = blobMap(v, i)
    const expected = {
      complete: false,
      missing: bytes(v.blobs[i]!.hashptr),
      length: v.content_len,
      have: inlineBytes(v) + 100 * i,
    }
    expect(readSidechain(bytes(v.payload48), (p) => store.get(hex(p)))).toEqual(expected)
    expect(await readSidechainAsync(bytes(v.payload48), async (p) => store.get(hex(p)))).toEqual(expected)
  })
})

describe('chains.json feed', () => {
  it('entries follow the genesis: seq 2 onwards, prev = previous mid', () => {
    let prev = chains.genesis
    for (const v of chains.entries) {
      expect(v.seq).toBe(prev.seq + 1)
      expect(v.prev).toBe(prev.mid)
      expect(v.dmx).toBe(prev.next_dmx)
      prev = v
    }
  })
})
