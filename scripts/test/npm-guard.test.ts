// `npm install` and `npm run build` typed out of habit, before set-up: each ends with a message that
// says what to run (the guard scripts are run here; npm itself is not).
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { NOT_INSTALLED_MESSAGE, NPM_INSTALL_MESSAGE } from '../npm-guard.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function guard(root: string, mode: string, userAgent: string) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'npm-guard.mjs'), mode], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_user_agent: userAgent },
  })
  return { status: r.status, stderr: r.stderr }
}

describe('npm install', () => {
  it('npm as the installer: the preinstall guard stops with what to run instead', () => {
    const r = guard(ROOT, 'preinstall', 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(NPM_INSTALL_MESSAGE)
    for (const cmd of ['npm test', 'npm run demo', 'corepack pnpm install']) expect(r.stderr).toContain(cmd)
  })

  it('pnpm as the installer: the guard passes silently', () => {
    const r = guard(ROOT, 'preinstall', 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64')
    expect(r).toEqual({ status: 0, stderr: '' })
  })

  it('npm finds nothing to resolve at the root, and its engine check says what to run', () => {
    // npm resolves these fields before any script runs; "workspace:*" there is EUNSUPPORTEDPROTOCOL
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
      expect(pkg[field], field).toBeUndefined()
    }
    expect(readFileSync(join(ROOT, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m)
    for (const cmd of ['npm test', 'npm run demo', 'corepack pnpm install']) expect(pkg.engines.npm).toContain(cmd)
    // pnpm reads .npmrc too: it must not become engine-strict (a tool's dependency wants Node 22)
    expect(readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8')).toMatch(/^engineStrict: false$/m)
  })

  it('pnpm still gets every root devDependency, through .pnpmfile.cjs', async () => {
    const { hooks } = (await import(join(ROOT, '.pnpmfile.cjs'))).default
    const seen = hooks.readPackage(structuredClone(pkg))
    expect(seen.devDependencies).toEqual(pkg.pnpmDevDependencies)
    expect(seen.devDependencies['@tinyssb/cli']).toBe('workspace:*')
    const other = { name: 'x', pnpmDevDependencies: { a: '1' } }
    expect(hooks.readPackage(structuredClone(other))).toEqual(other)
  })
})

describe('root scripts before set-up', () => {
  it('build, bench and demo run set-up first; the others call tools only behind the guard', () => {
    const tools = /(^|&&\s*)(turbo|vitest|changeset|tsc|publint|attw)\b/
    for (const [name, cmd] of Object.entries(pkg.scripts as Record<string, string>)) {
      if (!tools.test(cmd)) continue
      expect(cmd, name).toMatch(/^node scripts\/(setup\.mjs|npm-guard\.mjs installed) && /)
    }
    expect(pkg.scripts.build).toBe('node scripts/setup.mjs')
  })

  it('without node_modules the guard says what to run instead of "turbo: not found"', () => {
    const root = mkdtempSync(join(tmpdir(), 'tinyssb-guard-'))
    dirs.push(root)
    mkdirSync(join(root, 'scripts'))
    for (const f of ['npm-guard.mjs', 'run.mjs']) copyFileSync(join(ROOT, 'scripts', f), join(root, 'scripts', f))
    const r = guard(root, 'installed', 'npm/11.19.1 node/v20.20.2')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(NOT_INSTALLED_MESSAGE)
    expect(r.stderr).toContain('npm run build')
    expect(guard(ROOT, 'installed', 'npm/11.19.1 node/v20.20.2')).toEqual({ status: 0, stderr: '' })
  })
})
