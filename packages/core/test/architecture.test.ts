// The dependency rules of docs/architecture.md, checked on the sources: which workspace package may
// import which, and which packages are protocol code that must take time and randomness from the
// Clock and Random handed in. A new package must be added to RULES (the test fails until it is).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

interface Rule {
  /** Workspace packages (by directory name) this package's sources may import. */
  readonly may: readonly string[]
  /** Protocol code: no real timers, real time or Math.random outside the files listed in `host`. */
  readonly protocol: boolean
  /** Files (relative to the package) allowed to touch the host's time: the adapters to the real world. */
  readonly host?: readonly string[]
  /** Node built-ins (`node:*`) are forbidden in these files (browser-safe cores); globs by prefix. */
  readonly noNodeImports?: readonly string[]
}

/** The arrows of docs/architecture.md. Anything not listed here is forbidden. */
export const RULES: Record<string, Rule> = {
  core: { may: [], protocol: true, host: ['src/system.ts'], noNodeImports: ['src/'] },
  packet: { may: ['core'], protocol: true },
  repo: { may: ['core', 'packet'], protocol: false },
  pacing: { may: ['core'], protocol: true, noNodeImports: ['src/'] },
  'face-udp': { may: ['core', 'packet'], protocol: false },
  'face-kiss': { may: ['core', 'packet', 'pacing'], protocol: false },
  replication: { may: ['core', 'packet'], protocol: true, noNodeImports: ['src/'] },
  mvds: { may: ['core'], protocol: true, host: ['src/wall-clock.ts'] }, // message timestamps are Unix seconds (data, injectable)
  sim: { may: ['core', 'pacing', 'packet', 'repo', 'replication', 'mvds'], protocol: true },
  testkit: { may: ['core', 'packet'], protocol: false },
  cli: { may: ['core', 'packet', 'repo', 'pacing', 'face-udp', 'face-kiss', 'replication', 'sim', 'mvds'], protocol: false },
}

/** Extra limits inside a package: its core may import fewer packages than its adapters. */
const SIM_CORE_MAY = ['core', 'pacing']

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p))
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

/** The source without comments and string contents that are not import specifiers. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

function imports(src: string): string[] {
  const out: string[] = []
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g
  for (let m = re.exec(src); m; m = re.exec(src)) out.push(m[1]!)
  return out
}

const REAL_TIME = /(?<![\w.$])(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(|\bDate\.now\s*\(|\bperformance\.now\s*\(|\bMath\.random\s*\(|\bnew Date\s*\(\s*\)/

/** A method definition or interface member named like a timer function (not a call). */
const DEFINITION = /^\s*(?:async\s+)?(?:setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(.*\)\s*(?::[^=]*|\{)\s*$/

const packages = readdirSync(join(ROOT, 'packages')).filter((d) => existsSync(join(ROOT, 'packages', d, 'package.json')))

describe('architecture: dependency rules', () => {
  it('every package has a rule', () => {
    expect(packages.filter((p) => !(p in RULES))).toEqual([])
  })

  for (const pkg of packages) {
    const rule = RULES[pkg]
    if (!rule) continue
    const dir = join(ROOT, 'packages', pkg)

    it(`${pkg}: package.json depends only on allowed workspace packages`, () => {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
      const deps = { ...json.dependencies, ...json.peerDependencies, ...json.optionalDependencies }
      const workspace = Object.keys(deps).filter((d) => d.startsWith('@tinyssb/')).map((d) => d.slice('@tinyssb/'.length))
      expect(workspace.filter((d) => !rule.may.includes(d)), `forbidden dependencies of @tinyssb/${pkg}`).toEqual([])
    })

    it(`${pkg}: sources import only allowed packages${rule.protocol ? ' and never touch real time' : ''}`, () => {
      const problems: string[] = []
      for (const file of sourceFiles(join(dir, 'src'))) {
        const rel = relative(dir, file)
        const src = stripComments(readFileSync(file, 'utf8'))
        const simCore = pkg === 'sim' && !/^src\/adapters?\//.test(rel) && !/^src\/(cli|report|node)\//.test(rel)
        for (const spec of imports(src)) {
          const m = /^@tinyssb\/([^/]+)/.exec(spec)
          if (m && m[1] !== pkg) {
            const allowed = simCore ? SIM_CORE_MAY : rule.may
            if (!allowed.includes(m[1]!)) problems.push(`${rel} imports ${spec}`)
          }
          if (spec.startsWith('node:') || /^(fs|path|os|crypto|dgram|net|worker_threads|child_process)$/.test(spec)) {
            if (rule.noNodeImports?.some((p) => rel.startsWith(p)) || simCore) problems.push(`${rel} imports ${spec} (browser-safe code)`)
          }
        }
        if (rule.protocol && !rule.host?.includes(rel)) {
          src.split('\n').forEach((line, i) => {
            if (REAL_TIME.test(line) && !DEFINITION.test(line)) problems.push(`${rel}:${i + 1} touches real time or Math.random: ${line.trim()}`)
          })
        }
      }
      expect(problems).toEqual([])
    })
  }

  it('the checker itself catches what it should', () => {
    expect(REAL_TIME.test('const t = setTimeout(f, 1)')).toBe(true)
    expect(REAL_TIME.test('x = Math.random()')).toBe(true)
    expect(REAL_TIME.test('x = Date.now()')).toBe(true)
    expect(REAL_TIME.test('clock.setTimeout(f, 1)')).toBe(false)
    expect(DEFINITION.test('  setTimeout(fn, ms) {')).toBe(true)
    expect(DEFINITION.test('  setTimeout(fn: () => void, ms: number): TimerHandle')).toBe(true)
    expect(DEFINITION.test('  setTimeout(() => {')).toBe(false)
    expect(DEFINITION.test('  setTimeout(fn, 5)')).toBe(false)
    expect(imports("import { a } from '@tinyssb/repo'\nexport * from './x.js'")).toEqual(['@tinyssb/repo', './x.js'])
    expect(stripComments('a // setTimeout(x)\n/* Math.random() */b')).not.toMatch(REAL_TIME)
  })
})
