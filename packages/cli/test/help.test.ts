// --help / -h on every command of the registry (usage, every flag, its default, examples that
// parse), the group and top-level help, and --version / -V from package.json.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from '../src/args.js'
import { flagTable, usageLine, wantsHelp, wrap } from '../src/command.js'
import { COMMANDS } from '../src/commands/index.js'
import { usage } from '../src/main.js'
import { cli, CLI_DIR, oneErrorLine, requireBuilt, run, tempDir } from './helpers.js'

const VERSION = (JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { version: string }).version

/** The words of a shell-like command line (double quotes group words). */
const words = (line: string): string[] => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)

describe.each(COMMANDS.map((c) => [c.name, c] as const))('tinyssb %s --help', (name, entry) => {
  it('prints its summary, usage, every flag with its help and default, and examples; exit 0', async () => {
    const command = await entry.load()
    const r = await run(...name.split(' '), '--help')
    expect(r.code).toBe(0)
    expect(r.err).toEqual([])
    const text = r.out.join('\n')
    expect(r.out[0]).toBe(`tinyssb ${name} — ${entry.summary}`)
    expect(text).toContain(`usage: tinyssb ${name}`)
    const flags = Object.entries(command.flags)
    expect(flags.length).toBeGreaterThan(0)
    const table = text.slice(text.indexOf('\nflags:\n'))
    for (const [flag, f] of flags) {
      expect(command.usage(name), flag).toContain(`--${flag}`)
      const at = table.indexOf(`  --${flag}`)
      expect(at, `--${flag} in the table`).toBeGreaterThan(0)
      // the help line follows the flag (possibly wrapped onto the next lines)
      const row = table.slice(at, at + 400).replace(/\s+/g, ' ')
      expect(row, flag).toContain(f.help.split(' ').slice(0, 4).join(' '))
      const dflt = f.shownDefault ?? (typeof f.default === 'string' ? f.default : undefined)
      if (dflt !== undefined) expect(row, flag).toContain(`default: ${dflt.split(' ')[0]}`)
    }
    expect(text).toContain('-h, --help')
    expect(text).toMatch(/\nexamples?:\n {2}tinyssb /)
    // every line of the help fits 100 columns (a long unbreakable word aside)
    for (const l of r.out) expect(l.length, l).toBeLessThanOrEqual(120)
    // -h and -help (the original's single-dash style) say the same; help wins over bad flags
    expect((await run(...name.split(' '), '-h')).out).toEqual(r.out)
    expect((await run(...name.split(' '), '-help')).out).toEqual(r.out)
    expect(await run(...name.split(' '), '--no-such-flag', '--help')).toMatchObject({ code: 0, out: r.out })
    expect((await run('help', ...name.split(' '))).out).toEqual(r.out)
  })

  it('its examples are valid command lines (they parse with its flags)', async () => {
    const command = await entry.load()
    const text = command.help(name, entry.summary)
    const examples = text.slice(text.search(/\nexamples?:\n/)).split('\n').filter((l) => l.startsWith('  tinyssb '))
    expect(examples.length).toBeGreaterThan(0)
    for (const ex of examples) {
      const argv = words(ex.trim()).slice(1)
      expect(argv.slice(0, name.split(' ').length).join(' ')).toBe(name)
      expect(() => parse(argv.slice(name.split(' ').length), command.flags, true), ex).not.toThrow()
    }
  })
})

describe('top-level and group help', () => {
  it('tinyssb --help / -h / help lists every command of the registry with its summary', async () => {
    const r = await run('--help')
    expect(r.code).toBe(0)
    expect((await run('-h')).out).toEqual(r.out)
    expect((await run('help')).out).toEqual(r.out)
    for (const c of COMMANDS) expect(r.out).toContainEqual(expect.stringMatching(new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)))
    expect(usage()).toContain('--version')
  })

  it('tinyssb log --help lists its commands; tinyssb log alone is a usage error with that list', async () => {
    const h = await run('log', '--help')
    expect(h.code).toBe(0)
    for (const sub of ['append', 'dump', 'verify']) expect(h.out).toContainEqual(expect.stringMatching(new RegExp(`^  ${sub} +\\w`)))
    const bare = await run('log')
    expect(bare.code).toBe(2)
    expect(oneErrorLine(bare.err)).toBe('tinyssb: "tinyssb log" needs a command')
    expect(bare.err.join('\n')).toContain(h.out.join('\n'))
  })

  it('a usage error inside a command names the problem, then its usage', async () => {
    const r = await run('init', '--bogus')
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/--bogus/)
    expect(r.err).toContain('usage: tinyssb init [--data DIR] [--force]')
    expect(r.err).toContain('Run "tinyssb init --help" for every flag.')
  })

  it('after --, --help is content, not a request for help', async () => {
    expect(wantsHelp(['--data', 'd', '--', '--help'])).toBe(false)
    expect(wantsHelp(['--data', 'd', '-h'])).toBe(true)
    const t = tempDir()
    try {
      const data = join(t.path, 'd')
      expect((await run('init', '--data', data)).code).toBe(0)
      const r = await run('log', 'append', '--data', data, '--', '--help')
      expect(r.code, r.err.join('\n')).toBe(0)
      expect(r.out[0]).toMatch(/^appended .* plain48 6 bytes$/)
    } finally {
      t.cleanup()
    }
  })

  it('usage lines and flag tables wrap at 100 columns', () => {
    expect(wrap(['aaa', 'bbb', 'ccc'], 7)).toEqual(['aaa bbb', 'ccc'])
    const flags = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`flag-${i}`, { type: 'string', arg: 'VALUE', help: 'x '.repeat(60).trim() } as const]))
    for (const l of usageLine('cmd', flags).split('\n')) expect(l.length).toBeLessThanOrEqual(100)
    for (const l of flagTable(flags).join('\n').split('\n')) expect(l.length).toBeLessThanOrEqual(100)
  })
})

describe('--version', () => {
  it('tinyssb --version and -V print the version of package.json', async () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/)
    expect(await run('--version')).toEqual({ code: 0, out: [VERSION], err: [] })
    expect(await run('-V')).toEqual({ code: 0, out: [VERSION], err: [] })
    expect((await run('help')).out[0]).toContain(VERSION)
  })

  describe('the real process', () => {
    beforeAll(requireBuilt)
    it('prints the version and exits 0', async () => {
      const r = await cli(['--version'], 10_000)
      expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
    })
  })
})
