import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { loadMvdsVectors, loadVectors, mvdsVectorsDir, vectorsDir } from '../src/index.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const saved = { t: process.env.TINYSSB_VECTORS, m: process.env.MVDS_VECTORS }
const dirs: string[] = []
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tinyssb-vectors-'))
  dirs.push(d)
  return d
}
const restore = (name: string, value: string | undefined): void => {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}
afterEach(() => {
  restore('TINYSSB_VECTORS', saved.t)
  restore('MVDS_VECTORS', saved.m)
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('loadVectors', () => {
  it('reads the copy in the repository by default', () => {
    delete process.env.TINYSSB_VECTORS
    expect(resolve(vectorsDir())).toBe(resolve(ROOT, 'vectors'))
    const meta = loadVectors<{ file: string; sha256: Record<string, string> }>('meta.json')
    expect(meta.file).toBe('meta.json')
    expect(Object.keys(meta.sha256)).toContain('packets.json')
  })

  it('TINYSSB_VECTORS overrides the directory', () => {
    const d = temp()
    writeFileSync(join(d, 'varint.json'), JSON.stringify({ format: 'tinyssb-poc01-vectors/1', file: 'varint.json', pairs: [] }))
    process.env.TINYSSB_VECTORS = d
    expect(loadVectors<{ pairs: unknown[] }>('varint.json').pairs).toEqual([])
  })

  it('a missing file names the path and the override variable', () => {
    const d = temp()
    process.env.TINYSSB_VECTORS = d
    expect(() => loadVectors('packets.json')).toThrow(`${join(d, 'packets.json')} (set TINYSSB_VECTORS`)
  })

  it('refuses a file that is not the vector file asked for', () => {
    const d = temp()
    writeFileSync(join(d, 'want.json'), JSON.stringify({ format: 'tinyssb-poc01-vectors/1', file: 'varint.json' }))
    process.env.TINYSSB_VECTORS = d
    expect(() => loadVectors('want.json')).toThrow('not the vector file want.json')
  })
})

describe('loadMvdsVectors', () => {
  it('reads vectors/mvds by default, every timestamp a bigint, int64 values exact', () => {
    delete process.env.MVDS_VECTORS
    expect(resolve(mvdsVectorsDir())).toBe(resolve(ROOT, 'vectors', 'mvds'))
    const v = loadMvdsVectors()
    expect(v.format).toBe('mvds-go-vectors/1')
    expect(v.messages.length).toBeGreaterThan(0)
    expect(v.payloads.length).toBeGreaterThan(0)
    for (const m of v.messages) expect(typeof m.timestamp).toBe('bigint')
    const ts = v.messages.map((m) => m.timestamp)
    expect(ts).toContain(9223372036854775807n)
    expect(ts).toContain(-1n)
    // every payload names messages that exist
    const labels = new Set(v.messages.map((m) => m.label))
    for (const p of v.payloads) for (const l of p.messages) expect(labels.has(l)).toBe(true)
  })

  it('MVDS_VECTORS overrides the directory; a missing file names the path and the variable', () => {
    const d = temp()
    process.env.MVDS_VECTORS = d
    expect(() => loadMvdsVectors()).toThrow(`${join(d, 'go-reference.json')} (set MVDS_VECTORS`)
    writeFileSync(
      join(d, 'go-reference.json'),
      '{"format":"mvds-go-vectors/1","messages":[{"label":"m","timestamp":9007199254740993}],"payloads":[]}',
    )
    expect(loadMvdsVectors().messages[0]?.timestamp).toBe(9007199254740993n)
  })

  it('refuses a file that is not the MVDS vector file', () => {
    const d = temp()
    writeFileSync(join(d, 'go-reference.json'), '{"format":"other"}')
    process.env.MVDS_VECTORS = d
    expect(() => loadMvdsVectors()).toThrow('not the MVDS vector file')
  })
})
