// Publishing conventions of every workspace package (docs/CONTRIBUTING.md "Package checklist").
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { walk } from '../check-docs.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const read = (p: string): any => JSON.parse(readFileSync(join(ROOT, p), 'utf8'))
const root = read('package.json')
const FLOOR = '>=20.19'
const REPO_URL = 'git+https://github.com/tinyssb-ts/tinyssb-ts.git'

const dirs = ['packages', 'examples']
  .flatMap((d) => readdirSync(join(ROOT, d)).map((n) => `${d}/${n}`))
  .concat('bench')
  .filter((d) => existsSync(join(ROOT, d, 'package.json')))
const all = dirs.map((dir) => ({ dir, pkg: read(`${dir}/package.json`) }))
const published = all.filter((p) => !p.pkg.private)

/** The lowest Node version a range admits, as [major, minor, patch] (">= 20.19.0", "^20.19.0 || >=22"). */
function floorOf(range: string): number[] {
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range)
  if (!m) throw new Error(`cannot read the engines range ${range}`)
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)]
}
const cmp = (a: number[], b: number[]): number => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!

/** Bumps per package over every changeset in .changeset/. */
function changesetBumps(): Map<string, Set<string>> {
  const bumps = new Map<string, Set<string>>()
  for (const f of readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(ROOT, '.changeset', f), 'utf8'))?.[1] ?? ''
    for (const m of front.matchAll(/^['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/gm)) {
      if (!bumps.has(m[1]!)) bumps.set(m[1]!, new Set())
      bumps.get(m[1]!)!.add(m[2]!)
    }
  }
  return bumps
}

describe('Node floor', () => {
  it('one floor everywhere: the root, every package and the README say the same', () => {
    expect(root.engines.node).toBe(FLOOR)
    for (const { dir, pkg } of all) expect(pkg.engines?.node, dir).toBe(FLOOR)
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme).toContain(`Node ≥ ${FLOOR.slice(2)}`)
    expect(readme).not.toMatch(/Node ≥ 20\.(1[0-8]|[0-9])\b/)
  })

  it('is no lower than what any runtime dependency of a published package requires', () => {
    for (const { dir, pkg } of published) {
      const req = createRequire(join(ROOT, dir, 'package.json'))
      for (const dep of Object.keys(pkg.dependencies ?? {})) {
        if (dep.startsWith('@tinyssb/')) continue
        let manifest: any
        try {
          manifest = req(`${dep}/package.json`)
        } catch {
          // a package that does not export its package.json: find it on disk
          let d = dirname(req.resolve(dep))
          while (!existsSync(join(d, 'package.json')) || JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name !== dep) d = dirname(d)
          manifest = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8'))
        }
        const need = manifest.engines?.node
        if (need) expect(cmp(floorOf(FLOOR), floorOf(need)), `${dir}: ${dep} needs node ${need}`).toBeGreaterThanOrEqual(0)
      }
    }
  })

  it('the running Node loads ESM with require() unflagged, as the floor promises', () => {
    expect(cmp(floorOf(process.versions.node), floorOf(FLOOR))).toBeGreaterThanOrEqual(0)
    expect((process as any).features?.require_module).toBe(true)
  })
})

describe('published packages', () => {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8')
  const bumps = changesetBumps()

  it('there are some', () => {
    expect(published.map((p) => p.pkg.name)).toEqual(expect.arrayContaining(['@tinyssb/core', '@tinyssb/packet', '@tinyssb/cli']))
  })

  for (const { dir, pkg } of published) {
    it(`${pkg.name}: license, repository, homepage, bugs, files, lint, first release 0.1.0`, () => {
      expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} tinyssb-ts contributors\n/)
      expect(pkg.license).toBe('MIT')
      expect(readFileSync(join(ROOT, dir, 'LICENSE'), 'utf8')).toBe(license)
      expect(pkg.repository).toEqual({ type: 'git', url: REPO_URL, directory: dir })
      expect(pkg.homepage).toBe(`https://github.com/tinyssb-ts/tinyssb-ts/tree/main/${dir}#readme`)
      expect(pkg.bugs).toEqual({ url: 'https://github.com/tinyssb-ts/tinyssb-ts/issues' })
      expect(pkg.publishConfig?.access).toBe('public')
      expect(existsSync(join(ROOT, dir, 'README.md'))).toBe(true)
      // the source maps point at ../src: the sources ship with them
      expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'src']))
      expect(pkg.files).toContain('!dist/**/*.tsbuildinfo')
      expect(pkg.scripts.lint).toContain('publint --strict')
      expect(pkg.scripts.lint).toContain('attw --pack --profile esm-only')
      // changesets turns 0.0.0 plus a minor bump into 0.1.0 (0.1.0 plus minor would be 0.2.0)
      if (pkg.version === '0.0.0') {
        expect(bumps.get(pkg.name), `no changeset bumps ${pkg.name}`).toBeDefined()
        expect([...bumps.get(pkg.name)!]).toContain('minor')
        expect([...bumps.get(pkg.name)!]).not.toContain('major')
      }
    })

    it(`${pkg.name}: every built source map points at a source file that ships`, () => {
      const dist = join(ROOT, dir, 'dist')
      if (!existsSync(dist)) return // not built yet: the downstream pack test checks the tarballs
      for (const map of walk(dist, (n: string) => n.endsWith('.map'), new Set())) {
        const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }
        for (const s of sources) {
          const file = resolve(dirname(map), s)
          expect(relative(join(ROOT, dir), file), map).toMatch(/^src\//)
          const stale = `${relative(ROOT, map)} → ${s}: the source is gone, so this is stale build output that would be published (delete the outputs of the removed file, or dist/, and build again)`
          expect(existsSync(file) && statSync(file).isFile(), stale).toBe(true)
        }
      }
    })
  }
})
