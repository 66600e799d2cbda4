// The README's example runs, and the README lists every export and every error code.
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as packet from '../src/index.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const example = readFileSync(new URL('./fixtures/readme-example.ts', import.meta.url), 'utf8')

describe('README.md', () => {
  afterEach(() => vi.restoreAllMocks())

  it('its ts example is test/fixtures/readme-example.ts, verbatim', () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block, 'README has a ```ts block').toBeDefined()
    expect(block!.trim()).toBe(example.trim())
  })

  it('the example runs and reads the sidechain content back', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await import('./fixtures/readme-example.js')
    expect(log).toHaveBeenCalledWith(320)
  })

  it('lists every runtime export of the main entry', () => {
    for (const name of Object.keys(packet)) expect(readme, name).toContain(`\`${name}\``)
  })

  it('lists every subpath export and what it exports', async () => {
    const subpaths = {
      '@tinyssb/packet/ed25519': await import('@tinyssb/packet/ed25519'),
      '@tinyssb/packet/noble': await import('@tinyssb/packet/noble'),
      '@tinyssb/packet/node-crypto': await import('@tinyssb/packet/node-crypto'),
      '@tinyssb/packet/hmac': await import('@tinyssb/packet/hmac'),
    }
    for (const [path, mod] of Object.entries(subpaths)) {
      expect(readme).toContain(`\`${path}\``)
      for (const name of Object.keys(mod)) expect(readme, `${path} ${name}`).toContain(`\`${name}\``)
    }
  })

  it('explains every PacketError code', () => {
    const src = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8')
    const codes = [...src.matchAll(/\|\s*'([A-Z_]+)'/g)].map((m) => m[1]!)
    expect(codes.length).toBeGreaterThanOrEqual(10)
    for (const code of codes) expect(readme).toMatch(new RegExp(`^\\| \`${code}\` \\| .+ \\|$`, 'm'))
  })
})
