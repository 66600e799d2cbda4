import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '@tinyssb/core'
import { tempDir } from '../src/temp-dir.js'
import * as testkit from '../src/index.js'

describe('mulberry32', () => {
  it('repeats for a seed and differs between seeds', () => {
    const take = (seed: number): number[] => {
      const rand = mulberry32(seed)
      return Array.from({ length: 5 }, () => rand())
    }
    expect(take(42)).toEqual(take(42))
    expect(take(42)).not.toEqual(take(43))
  })

  it('stays in [0, 1) and is roughly uniform', () => {
    const rand = mulberry32(1)
    let sum = 0
    for (let i = 0; i < 10_000; i++) {
      const x = rand()
      expect(x >= 0 && x < 1).toBe(true)
      sum += x
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1)
  })
})

describe('tempDir', () => {
  it('makes an empty directory and removes it with its content, twice is fine', async () => {
    const dir = await tempDir()
    expect(existsSync(dir.path)).toBe(true)
    await writeFile(join(dir.path, 'x'), 'y')
    await dir.cleanup()
    await dir.cleanup()
    expect(existsSync(dir.path)).toBe(false)
  })
})

describe('main index', () => {
  it('does not export the vitest suite', () => {
    expect(Object.keys(testkit).sort()).toEqual(
      ['FaceError', 'FUZZ', 'mutated', 'INSTALL_HINT', 'MEMORY_MTU_BYTES', 'REORDER_HOLD_MS', 'fakeClock', 'hasCommand', 'loadMvdsVectors', 'loadVectors', 'mvdsVectorsDir', 'requireCommand', 'runUntilKilled', 'vectorsDir', 'memoryHub', 'memoryLink', 'mulberry32', 'tempDir'].sort(),
    )
  })
})

describe('requireCommand', () => {
  it('passes for a command on the PATH', () => {
    expect(testkit.hasCommand('sh')).toBe(true)
    expect(() => testkit.requireCommand('sh', 'this test')).not.toThrow()
  })

  it('fails naming the tool, what needs it and the install line', () => {
    expect(testkit.hasCommand('tinyssb-no-such-tool')).toBe(false)
    expect(() => testkit.requireCommand('tinyssb-no-such-tool', 'the X tests')).toThrow(
      `tinyssb-no-such-tool is not installed (needed by the X tests): ${testkit.INSTALL_HINT}`,
    )
    expect(testkit.INSTALL_HINT).toBe('sudo apt-get install socat chromium')
  })

  it('refuses a name that is not a plain command', () => {
    expect(() => testkit.hasCommand('socat; rm -rf /')).toThrow('not a command name')
  })
})
