// meta.json / config_samples.json key derivation, and the entries of the logs in logfile.json.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { nobleEd25519 } from '../src/ed25519-noble.js'
import { nodeEd25519 } from '../src/ed25519-node.js'
import { sodiumEd25519 } from '../src/sodium.js'
import { blobPointer, genesisPosition, readSidechain, sha256, verifyEntry } from '../src/index.js'
import { bytes, hex, loadVectors, utf8, vectorFileBytes, type LogVector } from './vectors.js'

const meta = loadVectors<{ prefix: string; keys: { key_index: number; seed: string; fid: string }[]; sha256: Record<string, string> }>(
  'meta.json',
)
const config = loadVectors<{ directories: string[]; files: { path: string; key_index: number; text: string; bytes: string }[] }>(
  'config_samples.json',
)
const logfile = loadVectors<Record<string, LogVector>>('logfile.json')
const schemes = [nobleEd25519, nodeEd25519, sodiumEd25519]

describe('meta.json', () => {
  it.each(Object.entries(meta.sha256))('%s has the sha256 meta.json lists', (file, sum) => {
    expect(createHash('sha256').update(vectorFileBytes(file)).digest('hex')).toBe(sum)
  })

  describe.each(schemes)('keys with $backend', (scheme) => {
    it.each(meta.keys)('key $key_index: seed = sha256(prefix ‖ index), fid = publicKey(seed)', (k) => {
      const seed = sha256(utf8(`${meta.prefix}${k.key_index}`))
      expect(hex(seed)).toBe(k.seed)
      expect(hex(scheme.publicKey(seed))).toBe(k.fid)
      expect(hex(scheme.signer(seed).publicKey)).toBe(k.fid)
    })
  })
})

describe('config_samples.json', () => {
  const configs = config.files.filter((f) => f.path.endsWith('/config.json'))
  const fids = configs.map((f) => JSON.parse(f.text).feedID as string)

  it('has three node configs and their state.json files', () => {
    expect(configs.map((f) => f.path)).toEqual(['data/nodeA/config.json', 'data/nodeB/config.json', 'data/nodeC/config.json'])
    for (const f of config.files.filter((f) => f.path.endsWith('/state.json'))) expect(JSON.parse(f.text)).toEqual({})
    for (const f of config.files) expect(hex(utf8(f.text))).toBe(f.bytes)
  })

  describe.each(schemes)('with $backend', (scheme) => {
    it.each(configs)('$path: secret is the seed of its key, feedID its public key', (f) => {
      const c = JSON.parse(f.text) as { feedID: string; secret: string; msgID0: string; trusted: [string, number, string][] }
      const seed = sha256(utf8(`${meta.prefix}${f.key_index}`))
      expect(c.secret).toBe(hex(seed))
      expect(c.feedID).toBe(hex(scheme.publicKey(bytes(c.secret))))
      expect(c.msgID0).toBe('616263')
      expect(c.trusted.map((t) => t[0]).sort()).toEqual(fids.filter((x) => x !== c.feedID).sort())
    })
  })
})

describe('logfile.json', () => {
  const logs = Object.entries(logfile).filter(([k]) => k.endsWith('_log')) as [string, LogVector][]
  const withEntries = logs.filter(([, l]) => l.entries.length > 0)

  it.each(logs)('%s: header fid and anchor', (_name, log) => {
    expect(log.header.fid).toBe(log.fid)
    if (log.header.anchor_seq === 0) expect(log.header.anchor_mid).toBe(hex(genesisPosition(bytes(log.fid)).prev))
    if (log.seed) expect(hex(nodeEd25519.publicKey(bytes(log.seed)))).toBe(log.fid)
  })

  describe.each(schemes)('with $backend', (scheme) => {
    it.each(withEntries)('%s: every block verifies at its position, walking from the anchor mid', (_name, log) => {
      const file = bytes(log.file_bytes)
      let prev = log.header.anchor_mid
      let seq = log.header.anchor_seq
      for (const e of log.entries) {
        seq += 1
        expect(e.seq).toBe(seq)
        expect(e.reserved).toBe('0000000000000000')
        const block = file.subarray(128 * (seq - log.header.anchor_seq), 128 * (seq - log.header.anchor_seq + 1))
        expect(hex(block)).toBe(e.reserved + e.wire)
        const entry = verifyEntry({ fid: bytes(log.fid), seq, prev: bytes(prev) }, bytes(e.wire), scheme)
        expect(hex(entry.mid)).toBe(e.mid)
        prev = e.mid
      }
      expect(seq).toBe(log.header.front_seq)
      expect(prev).toBe(log.header.front_mid)
    })
  })

  it.each(logs)('%s: blob files are named by their pointer', (_name, log) => {
    for (const b of log.blobs) {
      const p = hex(blobPointer(bytes(b.bytes)))
      expect(b.path).toBe(`_blob/${p.slice(0, 2)}/${p.slice(2)}`)
    }
  })

  it('full_log: plain payloads and chain contents read back from the log and its blobs', () => {
    const log = logfile.full_log!
    const store = new Map(log.blobs.map((b) => [b.path.slice(6).replace('/', ''), bytes(b.bytes)]))
    for (const step of log.steps) {
      const e = log.entries.find((x) => x.seq === step.seq)!
      const payload = bytes(e.wire).subarray(8, 56)
      if (step.op === 'append_chain') {
        expect(bytes(e.wire)[7]).toBe(1)
        const r = readSidechain(payload, (p) => store.get(hex(p)))
        expect(r.complete && hex(r.content)).toBe(step.content)
      } else {
        expect(bytes(e.wire)[7]).toBe(0)
        expect(hex(payload)).toBe(step.payload_in.padEnd(96, '0'))
      }
    }
  })
})
