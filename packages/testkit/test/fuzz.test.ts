// The fuzz helpers: mutated() stays within its limits, and fuzz.ts imports fast-check only
// (@tinyssb/packet's fuzz test imports that source file directly, see the comment there).
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FUZZ, mutated } from '../src/index.js'

describe('fuzz helpers', () => {
  it('mutated: changes the input, within the limits given', () => {
    const base = new Uint8Array(50).fill(7)
    for (const limits of [{}, { extendBytes: 200, splatBytes: 24, edits: 4 }]) {
      const most = base.length + (limits.edits ?? 3) * (limits.extendBytes ?? 40)
      const samples = fc.sample(mutated(fc.constant(base), limits), { seed: FUZZ.seed, numRuns: 500 })
      for (const s of samples) expect(s.length).toBeLessThanOrEqual(most)
      expect(samples.some((s) => s.length < base.length)).toBe(true) // cuts
      expect(samples.some((s) => s.length > base.length)).toBe(true) // extensions
      expect(samples.some((s) => s.length === base.length && s.some((b) => b !== 7))).toBe(true) // flips, overwrites
      expect(base.every((b) => b === 7)).toBe(true) // the input itself is never changed
    }
  })

  it('fuzz.ts imports nothing but fast-check', () => {
    const src = readFileSync(new URL('../src/fuzz.ts', import.meta.url), 'utf8')
    const specs = [...src.matchAll(/^import [^\n]*from '([^']+)'/gm)].map((m) => m[1])
    expect(specs).toEqual(['fast-check'])
  })
})
