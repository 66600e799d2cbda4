// `tinyssb init`: the data directory of the original test_init.py (vectors/config_samples.json),
// fresh keys, and no silent `rm -rf` of an existing directory.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromHex, toHex } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { config, filesUnder, loadVectors, oneErrorLine, run, tempDir } from './helpers.js'

const NODES = ['nodeA', 'nodeB', 'nodeC'] as const
const samples = loadVectors<{ directories: string[]; files: { path: string; text: string }[] }>('config_samples.json')
const sampleText = (path: string): string => samples.files.find((f) => f.path === path)!.text

let tmp: ReturnType<typeof tempDir>
let data: string
beforeEach(() => {
  tmp = tempDir()
  data = join(tmp.path, 'data')
})
afterEach(() => tmp.cleanup())

describe('tinyssb init', () => {
  it('creates nodeA/B/C with the layout of the original and prints the sorted tree', async () => {
    const r = await run('init', '--data', data)
    expect(r.code).toBe(0)
    // the same tree as the vectors' data directory, `find data | sort`
    const expected = [...samples.directories, ...samples.files.map((f) => f.path)].map((p) => p.replace(/^data/, data)).sort()
    expect(r.out).toEqual(expected)
    expect(r.err).toHaveLength(1)
    expect(r.err[0]).toMatch(/^initialized .* nodeA, nodeB, nodeC/)
    for (const n of NODES) {
      expect(readdirSync(join(data, n)).sort()).toEqual(['_blob', '_logs', 'config.json', 'state.json'])
      expect(readdirSync(join(data, n, '_logs'))).toEqual([])
      expect(readdirSync(join(data, n, '_blob'))).toEqual([])
      expect(readFileSync(join(data, n, 'state.json'), 'utf8')).toBe('{}')
      expect(statSync(join(data, n, 'config.json')).mode & 0o777).toBe(0o600)
    }
  })

  it('writes config.json byte for byte like the original (vector text with our keys swapped in)', async () => {
    expect((await run('init', '--data', data)).code).toBe(0)
    const ours = Object.fromEntries(NODES.map((n) => [n, config(data, n)]))
    const theirs = Object.fromEntries(NODES.map((n) => [n, JSON.parse(sampleText(`data/${n}/config.json`))]))
    for (const n of NODES) {
      const text = readFileSync(join(data, n, 'config.json'), 'utf8')
      let expected = sampleText(`data/${n}/config.json`)
      for (const m of NODES) expected = expected.replaceAll(theirs[m].feedID, ours[m]!.feedID)
      expected = expected.replace(theirs[n].secret, ours[n]!.secret)
      expect(text).toBe(expected) // key order, 2-space indent, no trailing newline
      expect(Object.keys(ours[n]!)).toEqual(['name', 'feedID', 'secret', 'msgID0', 'trusted'])
      const others = NODES.filter((m) => m !== n).map((m) => [ours[m]!.feedID, 0, '616263'])
      expect(ours[n]!.trusted).toEqual(others)
      expect(ours[n]!.msgID0).toBe('616263')
      expect(ours[n]!.name).toBe(n)
    }
  })

  it('makes each secret the 32-byte ed25519 seed of its feedID, all distinct', async () => {
    await run('init', '--data', data)
    const fids = new Set<string>()
    for (const n of NODES) {
      const c = config(data, n)
      expect(c.secret).toMatch(/^[0-9a-f]{64}$/)
      expect(toHex(ed25519.publicKey(fromHex(c.secret)))).toBe(c.feedID)
      fids.add(c.feedID)
    }
    expect(fids.size).toBe(3)
  })

  it('refuses an existing non-empty directory with exit 1, one line, and leaves it untouched', async () => {
    await run('init', '--data', data)
    writeFileSync(join(data, 'nodeA', '_logs', 'keep.log'), 'x')
    const before = filesUnder(data).map((f) => [f, readFileSync(join(data, f), 'utf8')])
    const r = await run('init', '--data', data)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.err)).toMatch(/exists already; use --force/)
    expect(r.out).toEqual([])
    expect(filesUnder(data).map((f) => [f, readFileSync(join(data, f), 'utf8')])).toEqual(before)
  })

  it('accepts an existing empty directory, and a trailing slash', async () => {
    mkdirSync(data)
    const r = await run('init', '--data', `${data}/`)
    expect(r.code).toBe(0)
    expect(r.out[0]).toBe(data)
    expect(config(data, 'nodeC').name).toBe('nodeC')
  })

  it('--force replaces the node directories with new keys (unrelated files: see rough-edges.test.ts)', async () => {
    await run('init', '--data', data)
    const old = config(data).feedID
    writeFileSync(join(data, 'nodeA', '_logs', 'stray'), 'x') // inside a node directory: deleted with it
    mkdirSync(join(data, 'nodeD'))
    writeFileSync(join(data, 'nodeD', 'config.json'), '{}') // another node directory: deleted too
    const r = await run('init', '--data', data, '--force')
    expect(r.code).toBe(0)
    expect(config(data).feedID).not.toBe(old)
    expect(readdirSync(data).sort()).toEqual(['nodeA', 'nodeB', 'nodeC'])
  })

  it('rejects positionals and unknown options with exit 2', async () => {
    const r = await run('init', '--data', data, '--bogus')
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/--bogus/)
    expect((await run('init', 'somewhere')).code).toBe(2)
  })
})
