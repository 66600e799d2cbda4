// The on-disk format against the Python reference: vectors/logfile.json and want.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createChainEntry, createPlainEntry, genesisPosition, type LogInfo } from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { describe, expect, it } from 'vitest'
import { formatLogHeader, fsBlobStore, fsLogStore, parseLogHeader } from '../src/index.js'
import { bytes, cleanTempDirs, collect, filesUnder, hex, loadVectors, tempDir, verifier } from './helpers.js'

cleanTempDirs()

interface LogVector {
  steps: Record<string, any>[]
  file_name: string
  file_size: number
  file_bytes: string
  header: Record<string, any>
  entries: { seq: number; reserved: string; wire: string; mid: string }[]
  blobs: { path: string; bytes: string }[]
  fid: string
  seed?: string
}
const V = loadVectors('logfile.json')
const LOGS: [string, LogVector][] = ['full_log', 'anchor_log', 'truncated_log', 'subfeed_log'].map((k) => [k, V[k]])
const WANT = loadVectors('want.json')

function headerInfo(h: LogVector['header']): LogInfo {
  return {
    fid: bytes(h.fid),
    parentFid: /^0+$/.test(h.parent_fid) ? undefined : bytes(h.parent_fid),
    parentSeq: h.parent_seq,
    anchorSeq: h.anchor_seq,
    anchorMid: bytes(h.anchor_mid),
    frontSeq: h.front_seq,
    frontMid: bytes(h.front_mid),
  }
}

/** A node dir holding the vector's log file (and its blobs). */
function nodeWith(v: LogVector): string {
  const dir = tempDir()
  mkdirSync(join(dir, '_logs'))
  mkdirSync(join(dir, '_blob'))
  writeFileSync(join(dir, v.file_name), bytes(v.file_bytes))
  for (const b of v.blobs) {
    mkdirSync(dirname(join(dir, b.path)), { recursive: true })
    writeFileSync(join(dir, b.path), bytes(b.bytes))
  }
  return dir
}

describe.each(LOGS)('logfile.json %s', (_name, v) => {
  it('has a header the codec parses and re-encodes byte for byte', () => {
    const head = bytes(v.file_bytes).subarray(0, 128)
    expect(parseLogHeader(head)).toEqual(headerInfo(v.header))
    expect(hex(formatLogHeader(parseLogHeader(head)))).toBe(hex(head))
  })

  it('opens: info() is the header and entries() gives the wires and mids', async () => {
    const dir = nodeWith(v)
    const logs = await fsLogStore({ dir, verifier })
    const fid = bytes(v.fid)
    expect(await logs.info(fid)).toEqual(headerInfo(v.header))
    const got = []
    for await (const e of logs.entries(fid)) got.push({ seq: e.seq, wire: hex(e.wire), mid: hex(e.mid) })
    expect(got).toEqual(v.entries.map((e) => ({ seq: e.seq, wire: e.wire, mid: e.mid })))
    expect((await logs.verify(fid)).ok).toBe(true)
    expect((await collect(logs.feeds())).map(hex)).toEqual([v.fid])
    await logs.close()
    expect(hex(new Uint8Array(readFileSync(join(dir, v.file_name))))).toBe(v.file_bytes) // opening changed nothing
    const blobs = await fsBlobStore({ dir })
    for (const b of v.blobs) {
      const ptr = bytes(b.path.replace(/^_blob\/|\//g, ''))
      expect(hex((await blobs.get(ptr))!)).toBe(b.bytes)
    }
  })

  it('replaying its steps through the store API gives the same file and blob files', async () => {
    const dir = tempDir()
    const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
    const blobs = await fsBlobStore({ dir, createIfMissing: true })
    const fid = bytes(v.fid)
    const signer = v.seed ? nodeEd25519.signer(bytes(v.seed)) : undefined
    for (const s of v.steps) {
      const info = (await logs.info(fid)) ?? undefined
      const pos = info && { fid, seq: info.frontSeq + 1, prev: info.frontMid }
      switch (s.op) {
        case 'genesis_log': {
          await logs.create(fid, s.parent_fid ? { parentFid: bytes(s.parent_fid), parentSeq: s.parent_seq } : {})
          const e = createPlainEntry(genesisPosition(fid), bytes(s.payload_in), signer!)
          await logs.append(fid, 1, e.wire)
          break
        }
        case 'append_plain':
          await logs.append(fid, s.seq, createPlainEntry(pos!, bytes(s.payload_in), signer!).wire)
          break
        case 'append_chain': {
          const { entry, blobs: bl } = createChainEntry(pos!, bytes(s.content), signer!)
          await logs.append(fid, s.seq, entry.wire)
          for (const b of bl) await blobs.put(b)
          break
        }
        case 'create_log':
          await logs.create(fid, { anchorSeq: s.trusted_seq, anchorMid: bytes(s.trusted_mid) })
          if (s.buf120) await logs.append(fid, s.trusted_seq + 1, bytes(s.buf120))
          break
        case 'append':
          await logs.append(fid, s.seq, bytes(s.wire))
          break
        default:
          throw new Error(`unknown step ${s.op}`)
      }
    }
    await logs.close()
    expect(hex(new Uint8Array(readFileSync(join(dir, v.file_name))))).toBe(v.file_bytes)
    const want = Object.fromEntries(v.blobs.map((b) => [b.path, b.bytes]))
    const got = Object.fromEntries(Object.entries(filesUnder(join(dir, '_blob'))).map(([p, b]) => [`_blob/${p}`, b]))
    expect(got).toEqual(want)
  })
})

it('anchor_log + every full_log wire appended gives full_log byte for byte', async () => {
  const dir = nodeWith(V.anchor_log)
  const logs = await fsLogStore({ dir, verifier })
  const fid = bytes(V.full_log.fid)
  for (const e of V.full_log.entries) await logs.append(fid, e.seq, bytes(e.wire))
  await logs.close()
  expect(hex(new Uint8Array(readFileSync(join(dir, V.full_log.file_name))))).toBe(V.full_log.file_bytes)
})

describe('want.json responses: get(fid, seq) returns the reference\'s answer, never header bytes', () => {
  it.each(WANT.responses as { log: string; seq: number; response_wire: string | null }[])('$log seq $seq', async (r) => {
    const v: LogVector = V[r.log]
    const logs = await fsLogStore({ dir: nodeWith(v), verifier })
    const got = await logs.get(bytes(v.fid), r.seq)
    expect(got && hex(got)).toBe(r.response_wire ?? undefined)
    await logs.close()
  })
  it('answers nothing at the anchor seq (the reference sent header bytes)', async () => {
    for (const k of ['full_log', 'truncated_log', 'anchor_log']) {
      const v: LogVector = V[k]
      const logs = await fsLogStore({ dir: nodeWith(v), verifier })
      expect(await logs.get(bytes(v.fid), v.header.anchor_seq)).toBeUndefined()
      await logs.close()
    }
  })
})
