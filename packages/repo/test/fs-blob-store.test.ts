// File-blob-store specifics: the reference's path layout and damaged blob files.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { blobPointer, sha256 } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { blobPath, fsBlobStore, StoreError } from '../src/index.js'
import { cleanTempDirs, filesUnder, hex, tempDir } from './helpers.js'

cleanTempDirs()

const blob = (i: number): Uint8Array => {
  const b = new Uint8Array(120)
  b.set(sha256(new Uint8Array([i, 1])))
  return b
}

describe('fsBlobStore', () => {
  it('needs dir/_blob unless createIfMissing', async () => {
    const dir = tempDir()
    await expect(fsBlobStore({ dir })).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_NOT_FOUND' })
    await fsBlobStore({ dir, createIfMissing: true })
    expect(existsSync(join(dir, '_blob'))).toBe(true)
  })

  it('stores a blob at _blob/<2 hex>/<38 hex> and nothing else', async () => {
    const dir = tempDir()
    const s = await fsBlobStore({ dir, createIfMissing: true, durable: true })
    const ptr = await s.put(blob(1))
    const h = hex(ptr)
    expect(blobPath(ptr)).toBe(`_blob/${h.slice(0, 2)}/${h.slice(2)}`)
    expect(filesUnder(dir)).toEqual({ [join('_blob', h.slice(0, 2), h.slice(2))]: hex(blob(1)) })
    expect(readdirSync(join(dir, '_blob', h.slice(0, 2)))).toEqual([h.slice(2)]) // no temporary file left
  })

  it.each([
    ['a short file', (b: Uint8Array) => b.subarray(0, 100), /expected 120 bytes, got 100/],
    ['a changed byte', (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === 5 ? x ^ 1 : x)), /does not hash to its name/],
  ])('get of %s is STORE_CORRUPT; put repairs it', async (_label, damage, msg) => {
    const dir = tempDir()
    const s = await fsBlobStore({ dir, createIfMissing: true })
    const ptr = await s.put(blob(2))
    const file = join(dir, blobPath(ptr))
    writeFileSync(file, damage(blob(2)))
    const err = await s.get(ptr).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect(err).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(msg) })
    expect(hex(await s.put(blob(2)))).toBe(hex(blobPointer(blob(2))))
    expect(hex(new Uint8Array(readFileSync(file)))).toBe(hex(blob(2)))
    expect(hex((await s.get(ptr))!)).toBe(hex(blob(2)))
  })
})
