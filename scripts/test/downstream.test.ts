// A downstream project, as a user has it: every published package packed (`pnpm pack`), the
// tarballs installed with npm into a fresh temporary project (with typescript and @types/node),
// and there every README example type-checks (strict, NodeNext) and runs. Also: the `tinyssb` bin
// runs, CommonJS can require() every package, and every shipped source map points at a shipped file.
// It needs the registry (npm install) and takes about a minute, most of it npm.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { walk } from '../check-docs.mjs'
import { readmeExamples } from '../readme-examples.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SETUP_MS = 180_000
const RUN_MS = 30_000

const published = readdirSync(join(ROOT, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private)

interface Example {
  id: string
  file: string
  vitest: boolean
}
const examples: Example[] = published.flatMap(({ dir }) => {
  const readme = join(ROOT, 'packages', dir, 'README.md')
  if (!existsSync(readme)) return []
  return readmeExamples(readFileSync(readme, 'utf8')).map((ex: { index: number; code: string; vitest: boolean }) => {
    const id = `${dir}-${ex.index}`
    return { id, file: `${id}${ex.vitest ? '.test' : ''}.ts`, vitest: ex.vitest, code: ex.code }
  })
}) as (Example & { code: string })[]

// npm run (npm test) hands its own settings down as npm_config_*: the downstream project gets none
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)))

let work = ''
let project = ''
let typeErrors = ''

function run(cmd: string, args: string[], opts: { cwd: string; timeout: number }): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', env: cleanEnv, maxBuffer: 64 * 1024 * 1024 })
  if (r.error) throw r.error
  return r
}
function must(cmd: string, args: string[], opts: { cwd: string; timeout: number }): string {
  const r = run(cmd, args, opts)
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tinyssb-downstream-'))
  const tarballs = join(work, 'tarballs')
  project = join(work, 'project')
  mkdirSync(tarballs)
  mkdirSync(join(project, 'ex'), { recursive: true })

  const filters = published.flatMap(({ pkg }) => ['--filter', pkg.name])
  must('corepack', ['pnpm', '-r', ...filters, 'pack', '--pack-destination', tarballs], { cwd: ROOT, timeout: 60_000 })
  const tgz = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'))
  expect(tgz).toHaveLength(published.length)

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'downstream', private: true, type: 'module' }))
  must(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tgz.map((f) => join(tarballs, f)), 'typescript@5.9.3', '@types/node@^20.19.0'],
    { cwd: project, timeout: SETUP_MS - 60_000 },
  )
  // @tinyssb/testkit/compliance needs its optional peer vitest: link the workspace's copy (same
  // version a user would install) instead of downloading it again
  symlinkSync(realpathSync(join(ROOT, 'node_modules', 'vitest')), join(project, 'node_modules', 'vitest'), 'dir')

  for (const ex of examples as (Example & { code: string })[]) writeFileSync(join(project, 'ex', ex.file), ex.code)
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: ['node'],
        rootDir: 'ex',
        outDir: 'out',
        skipLibCheck: true,
      },
      include: ['ex'],
    }),
  )
  const tsc = run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: project, timeout: 60_000 })
  typeErrors = tsc.stdout + tsc.stderr
}, SETUP_MS)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('a downstream project with the packed packages', () => {
  it('every published package has a README with a ts example', () => {
    const withExamples = new Set(examples.map((e) => e.id.replace(/-\d+$/, '')))
    for (const { dir, pkg } of published) {
      if (pkg.bin) continue // the CLI's README shows commands; its bin is run below
      expect(withExamples.has(dir), `packages/${dir}/README.md has no \`\`\`ts example`).toBe(true)
    }
  })

  for (const ex of examples) {
    it(`README example ${ex.id} type-checks`, () => {
      const mine = typeErrors.split('\n').filter((l) => l.startsWith(`ex/${ex.file}(`))
      expect(mine, `tsc in the downstream project:\n${mine.join('\n')}`).toEqual([])
    })

    it(
      `README example ${ex.id} runs`,
      () => {
        const js = join('out', ex.file.replace(/\.ts$/, '.js'))
        expect(existsSync(join(project, js)), `${js} was not emitted`).toBe(true)
        const r = ex.vitest
          ? run(process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', project, js], { cwd: project, timeout: RUN_MS })
          : run(process.execPath, [js], { cwd: project, timeout: RUN_MS })
        // exit 13: a top-level await never settled (the process ran out of things to wait for)
        expect(r.status, `exit ${r.status} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`).toBe(0)
      },
      RUN_MS + 5_000,
    )
  }

  it('the tinyssb bin runs from the installed tarball', () => {
    const r = run(join(project, 'node_modules', '.bin', 'tinyssb'), ['--help'], { cwd: project, timeout: RUN_MS })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/tinyssb/)
  })

  it('CommonJS code can require() every package (Node >= 20.19, no flag)', () => {
    const names = published.map(({ pkg }) => pkg.name as string)
    writeFileSync(
      join(project, 'require.cjs'),
      `for (const n of ${JSON.stringify(names)}) { const m = require(n); if (Object.keys(m).length === 0) throw new Error(n + ': no exports') }\n`,
    )
    const r = run(process.execPath, ['require.cjs'], { cwd: project, timeout: RUN_MS })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/ExperimentalWarning/)
  })

  it('every shipped source map points at a shipped source file, and the LICENSE ships', () => {
    for (const { pkg } of published) {
      const dir = join(project, 'node_modules', ...(pkg.name as string).split('/'))
      expect(existsSync(join(dir, 'LICENSE')), `${pkg.name} LICENSE`).toBe(true)
      const maps = walk(dir, (n: string) => n.endsWith('.map'), new Set(['node_modules']))
      expect(maps.length, `${pkg.name} ships source maps`).toBeGreaterThan(0)
      for (const map of maps) {
        for (const s of JSON.parse(readFileSync(map, 'utf8')).sources as string[]) {
          const file = resolve(dirname(map), s)
          const where = `${pkg.name}: ${relative(dir, map)} → ${s}`
          expect(relative(dir, file).startsWith('..'), where).toBe(false)
          expect(existsSync(file) && statSync(file).isFile(), where).toBe(true)
        }
      }
    }
  })
})
