// The root README's commands work on a fresh machine: `npm run X` names a script of the root
// package.json, pnpm is only ever called through corepack (a fresh machine has no global pnpm), and
// the root scripts' bold text respects NO_COLOR and a non-terminal stdout.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bold, colorWanted, ROOT } from '../run.mjs'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)

/** Command text of the README: the lines of ```sh blocks and the `inline code` spans. */
function commandTexts(md: string): string[] {
  const sh = [...md.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'))
  const inline = [...md.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)
  return [...sh, ...inline].map((t) => t.replace(/#.*$/, '').trim()).filter(Boolean)
}

describe('root README commands', () => {
  const texts = commandTexts(readme)

  it('`npm run X` names a script of the root package.json', () => {
    const runs = texts.flatMap((t) => [...t.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]!))
    expect(runs.length).toBeGreaterThanOrEqual(4)
    for (const r of runs) expect(scripts, `npm run ${r}`).toContain(r)
  })

  it('pnpm only through corepack, no `pnpm exec`', () => {
    for (const t of texts) {
      expect(t, t).not.toMatch(/(^|[^\w/-])(?<!corepack )pnpm (?!10)\w/)
    }
  })
})

describe('bold text of the root scripts', () => {
  it('only on a terminal, without NO_COLOR, TERM not dumb', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true)
    expect(colorWanted({ isTTY: false }, {})).toBe(false)
    expect(colorWanted({}, {})).toBe(false)
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true)
    expect(colorWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
    expect(bold('x', false)).toBe('x')
    expect(bold('x', true)).toBe('\x1b[1mx\x1b[0m')
  })
})
