// appendToFeed: "append to my own feed" — genesis, the chain of prevs, plain or sidechain by length,
// blobs stored before the entry, typed errors with nothing appended, overlapping calls queued.
import { ENTRY_TYPE, genesisPosition, PacketError, readSidechainAsync, verifyEntry } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { appendToFeed, fsBlobStore, fsLogStore, memoryBlobStore, memoryLogStore, StoreError } from '../src/index.js'
import { cleanTempDirs, collect, hex, tempDir, utf8, verifier } from './helpers.js'

cleanTempDirs()

const signerOf = (n: number) => verifier.signer(new Uint8Array(32).fill(n))

describe('appendToFeed', () => {
  it('creates the log with a genesis entry, then chains each entry to the one before', async () => {
    const logs = memoryLogStore({ verifier })
    const blobs = memoryBlobStore()
    const signer = signerOf(1)
    const first = await appendToFeed({ logs, blobs, signer }, utf8('hello'))
    expect(first.type).toBe('plain48')
    expect(first.entry.seq).toBe(1)
    // a valid genesis: seq 1, prev = fid[0:20]
    expect(verifyEntry(genesisPosition(signer.publicKey), first.entry.wire, verifier).seq).toBe(1)
    const second = await appendToFeed({ logs, blobs, signer }, utf8('world'))
    expect(second.entry.seq).toBe(2)
    expect(second.info.frontSeq).toBe(2)
    expect(hex(second.info.frontMid)).toBe(hex(second.entry.mid))
    const stored = await collect(logs.entries(signer.publicKey))
    expect(stored.map((e) => hex(e.wire))).toEqual([hex(first.entry.wire), hex(second.entry.wire)])
    expect((await logs.verify(signer.publicKey)).ok).toBe(true)
  })

  it('picks plain48 up to 48 bytes and chain20 above, storing the blobs; the content reads back', async () => {
    const logs = memoryLogStore({ verifier })
    const blobs = memoryBlobStore()
    const signer = signerOf(2)
    const exact = await appendToFeed({ logs, blobs, signer }, new Uint8Array(48).fill(7))
    expect(exact.type).toBe('plain48')
    expect(exact.entry.wire[7]).toBe(ENTRY_TYPE.PLAIN48)
    const content = utf8('more than 48 bytes is '.repeat(20))
    const long = await appendToFeed({ logs, blobs, signer }, content)
    expect(long.type).toBe('chain20')
    expect(long.entry.wire[7]).toBe(ENTRY_TYPE.CHAIN20)
    expect(long.blobs.length).toBeGreaterThan(1)
    const r = await readSidechainAsync(long.entry.wire.subarray(8, 56), (p) => blobs.get(p))
    expect(r.complete && hex(r.content)).toBe(hex(content))
  })

  it('type forces chain20 for short content (inline, no blob store needed) and plain48 refuses long content', async () => {
    const logs = memoryLogStore({ verifier })
    const signer = signerOf(3)
    const short = await appendToFeed({ logs, signer }, utf8('short'), { type: 'chain20' })
    expect(short.type).toBe('chain20')
    expect(short.blobs).toEqual([])
    const err = await appendToFeed({ logs, signer }, new Uint8Array(49), { type: 'plain48' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PacketError)
    expect((err as PacketError).code).toBe('PACKET_PAYLOAD')
    expect((await logs.info(signer.publicKey))?.frontSeq).toBe(1) // nothing appended
  })

  it('a sidechain that needs blobs without a blob store: STORE_NO_BLOBS, nothing appended', async () => {
    const logs = memoryLogStore({ verifier })
    const signer = signerOf(4)
    await appendToFeed({ logs, signer }, utf8('one'))
    const err = await appendToFeed({ logs, signer }, new Uint8Array(200)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect((err as StoreError).code).toBe('STORE_NO_BLOBS')
    expect((await logs.info(signer.publicKey))?.frontSeq).toBe(1)
    // the queue goes on after a failure
    expect((await appendToFeed({ logs, signer }, utf8('two'))).entry.seq).toBe(2)
  })

  it('overlapping calls on one feed are queued: seq 1..20 in call order, no STORE_SEQ', async () => {
    const logs = memoryLogStore({ verifier })
    const signer = signerOf(5)
    const other = signerOf(6)
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendToFeed({ logs, signer: i % 2 ? other : signer }, utf8(`entry ${i}`))),
    )
    expect(all.filter((_, i) => i % 2 === 0).map((a) => a.entry.seq)).toEqual([...Array(10).keys()].map((i) => i + 1))
    expect(all.filter((_, i) => i % 2 === 1).map((a) => a.entry.seq)).toEqual([...Array(10).keys()].map((i) => i + 1))
    expect((await logs.verify(signer.publicKey)).ok).toBe(true)
    expect((await logs.verify(other.publicKey)).ok).toBe(true)
  })

  it('continues a log on disk after reopening, blobs under _blob/', async () => {
    const dir = tempDir()
    const signer = signerOf(7)
    let logs = await fsLogStore({ dir, verifier, createIfMissing: true })
    const blobs = await fsBlobStore({ dir, createIfMissing: true })
    await appendToFeed({ logs, blobs, signer }, utf8('one'))
    await appendToFeed({ logs, blobs, signer }, new Uint8Array(300).fill(1))
    await logs.close()
    logs = await fsLogStore({ dir, verifier, createIfMissing: true })
    const third = await appendToFeed({ logs, blobs, signer }, utf8('three'))
    expect(third.entry.seq).toBe(3)
    expect((await logs.verify(signer.publicKey)).ok).toBe(true)
    await logs.close()
    // a read-only store refuses with its own error
    const ro = await fsLogStore({ dir, verifier, readOnly: true })
    const err = await appendToFeed({ logs: ro, blobs, signer }, utf8('four')).catch((e: unknown) => e)
    expect((err as StoreError).code).toBe('STORE_READ_ONLY')
    await ro.close()
  })
})
