// The package core runs in browsers: no Node built-in outside src/fs/ (the Node-only subpath),
// and the main entry never imports the fs subpath.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../src/', import.meta.url))
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []))

describe('browser-safe core', () => {
  it('imports no node: module and no ./fs outside src/fs', () => {
    const problems: string[] = []
    for (const f of files(SRC)) {
      const rel = relative(SRC, f)
      if (rel.startsWith('fs/')) continue
      const src = readFileSync(f, 'utf8')
      for (const m of src.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        if (/^node:|^(fs|path|os|crypto)$/.test(m[1]!) || m[1]!.startsWith('./fs')) problems.push(`${rel}: ${m[1]}`)
      }
      if (/\bBuffer\b|\bprocess\./.test(src)) problems.push(`${rel}: uses a Node global`)
    }
    expect(problems).toEqual([])
    expect(files(SRC).some((f) => relative(SRC, f).startsWith('fs/'))).toBe(true)
  })
})
