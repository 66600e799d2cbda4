// The README's example runs, and the README lists every export, every error code and drop reason.
import { readFileSync, readdirSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as mvds from '../src/index.js'
import * as fs from '../src/fs/index.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const example = readFileSync(new URL('./fixtures/readme-example.ts', import.meta.url), 'utf8')
const sources = (dir: URL): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(new URL(`${e.name}/`, dir)) : e.name.endsWith('.ts') ? [readFileSync(new URL(e.name, dir), 'utf8')] : [],
  )

describe('README.md', () => {
  afterEach(() => vi.restoreAllMocks())

  it('its ts example is test/fixtures/readme-example.ts, verbatim, and it runs', async () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block!.trim()).toBe(example.trim())
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await import('./fixtures/readme-example.js')
    expect(log.mock.calls).toEqual([['hello, MVDS'], [1, 1, true]])
  })

  it('lists every runtime export of both entries', () => {
    for (const name of [...Object.keys(mvds), ...Object.keys(fs)]) expect(readme, name).toContain(`\`${name}\``)
  })

  it('explains every error code and every drop reason the sources count', () => {
    const src = sources(new URL('../src/', import.meta.url)).join('\n')
    const errors = new Set([...readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8').matchAll(/'(MVDS_[A-Z_]+)'/g)].map((m) => m[1]!))
    const drops = new Set([...src.matchAll(/countDrop\([^,]+, '(MVDS_[A-Z_]+)'/g)].map((m) => m[1]!))
    expect(errors.size).toBeGreaterThan(5)
    expect(drops.size).toBeGreaterThan(5)
    for (const code of [...errors, ...drops]) expect(readme, code).toContain(`\`${code}\``)
  })
})
