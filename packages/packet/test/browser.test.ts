// Browser purity of the built package, and the exports map (dist is built before the tests run).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const pkgDir = fileURLToPath(new URL('..', import.meta.url))
const dist = join(pkgDir, 'dist')
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
  name: string
  exports: Record<string, string | Record<string, string>>
}

function read(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: build the package first (turbo run build)`)
  return readFileSync(file, 'utf8')
}

/** The module specifiers a built file imports statically (or dynamically with a string literal). */
function importsOf(file: string): string[] {
  const code = read(file)
    .replace(/\/\*[\s\S]*?\*\//g, '') // block comments (TSDoc examples contain imports)
    .replace(/^\s*\/\/.*$/gm, '') // line comments
  const specs: string[] = []
  for (const re of [/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const m of code.matchAll(re)) specs.push(m[1]!)
  }
  return specs
}

/** Every file reachable from `entry` through relative imports, and every bare specifier they import. */
function closure(entry: string): { files: string[]; bare: Map<string, string[]> } {
  const files: string[] = []
  const bare = new Map<string, string[]>()
  const todo = [join(dist, entry)]
  while (todo.length) {
    const f = todo.pop()!
    if (files.includes(f)) continue
    files.push(f)
    for (const s of importsOf(f)) {
      if (s.startsWith('.')) todo.push(join(dirname(f), s))
      else bare.set(s, [...(bare.get(s) ?? []), relative(dist, f)])
    }
  }
  return { files: files.map((f) => relative(dist, f)), bare }
}

const isNodeBuiltin = (s: string) => s.startsWith('node:') || builtinModules.includes(s) || builtinModules.includes(s.split('/')[0]!)

describe('browser purity of dist', () => {
  it('every src module was built', () => {
    const srcs = readdirSync(join(pkgDir, 'src')).filter((f) => f.endsWith('.ts'))
    for (const f of srcs) expect(existsSync(join(dist, f.replace(/\.ts$/, '.js'))), `dist/${f} missing`).toBe(true)
  })

  it('the import scanner sees the imports it should', () => {
    expect(importsOf(join(dist, 'ed25519-node.js'))).toContain('node:crypto')
    expect(closure('index.js').files).toContain('entry.js')
    expect([...closure('hmac.js').bare.keys()]).toContain('@noble/hashes/hmac.js')
  })

  it.each(['index.js', 'ed25519.js', 'ed25519-noble.js', 'hmac.js'])('%s imports no Node built-in, and only @noble packages and @tinyssb/core', (entry) => {
    const { files, bare } = closure(entry)
    const offenders = [...bare].filter(([s]) => isNodeBuiltin(s))
    expect(offenders).toEqual([])
    for (const s of bare.keys()) expect(s).toMatch(/^(@noble\/(ed25519|hashes)(\/|$)|@tinyssb\/core$)/)
    // and no Node globals in anything a browser would load
    for (const f of files) expect(read(join(dist, f)), f).not.toMatch(/\b(Buffer|process|require)\s*[.(]/)
  })

  it('only the Node backends (node:crypto, sodium), the worker pool and its worker spawner import Node built-ins', () => {
    const jsFiles = readdirSync(dist).filter((f) => f.endsWith('.js'))
    const direct = jsFiles.filter((f) => importsOf(join(dist, f)).some(isNodeBuiltin))
    expect(direct.sort()).toEqual(['ed25519-node.js', 'ed25519-sodium.js', 'verify-pool.js', 'verify-spawn.js', 'verify-worker.js'])
    // the spawner starts workers before the pool's module loads: node:worker_threads and nothing else
    expect(importsOf(join(dist, 'verify-spawn.js'))).toEqual(['node:worker_threads'])
    expect(importsOf(join(dist, 'ed25519-node.js')).filter(isNodeBuiltin)).toEqual(['node:crypto'])
    expect(importsOf(join(dist, 'ed25519-sodium.js')).filter(isNodeBuiltin)).toEqual(['node:module'])
    // a verify worker boots without noble (key checks by bytes: ed25519-rule.js): ~40 ms sooner
    expect([...closure('verify-worker.js').bare.keys()].filter((s) => s.startsWith('@noble'))).toEqual([])
    const pulling = jsFiles.filter((f) => f !== 'ed25519-node.js' && closure(f).bare.has('node:crypto'))
    expect(pulling.sort()).toEqual(['ed25519-sodium.js', 'ed25519.node.js', 'pick-ed25519.js', 'sodium.js', 'verify-pool.js', 'verify-worker.js'])
    // sodium-native is loaded with createRequire in one place, never imported
    const naming = jsFiles.filter((f) => read(join(dist, f)).includes("'sodium-native'"))
    expect(naming).toEqual(['ed25519-sodium.js'])
    for (const f of jsFiles) expect(importsOf(join(dist, f)), f).not.toContain('sodium-native')
  })

  it('the exports map: browsers ("default") never reach Node built-ins except through /node-crypto, /sodium and /verify-spawn', () => {
    for (const [sub, target] of Object.entries(pkg.exports)) {
      if (sub === './package.json') continue
      const t = target as Record<string, string>
      expect(t.types, sub).toBeDefined()
      expect(Object.keys(t)[0], `${sub}: "types" comes first`).toBe('types')
      for (const file of Object.values(t)) expect(existsSync(join(pkgDir, file)), `${sub} → ${file}`).toBe(true)
      const browser = closure(relative(dist, join(pkgDir, t.default!)))
      expect([...browser.bare.keys()].some(isNodeBuiltin), sub).toBe(sub === './node-crypto' || sub === './sodium' || sub === './verify-spawn')
    }
  })
})

describe('exports resolve on Node', () => {
  it('@tinyssb/packet/ed25519 gives sodium (installed here); /noble, /node-crypto, /sodium, /hmac their backends', async () => {
    expect((await import('@tinyssb/packet/ed25519')).ed25519.backend).toBe('sodium')
    expect((await import('@tinyssb/packet/sodium')).ed25519.backend).toBe('sodium')
    expect((await import('@tinyssb/packet/noble')).ed25519.backend).toBe('noble')
    expect((await import('@tinyssb/packet/node-crypto')).ed25519.backend).toBe('node-crypto')
    expect((await import('@tinyssb/packet/hmac')).hmacScheme().backend).toBe('hmac')
    expect(typeof (await import('@tinyssb/packet')).createPlainEntry).toBe('function')
  })

  it('the same holds for plain Node, outside vite', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const a = await import('@tinyssb/packet/ed25519'); const b = await import('@tinyssb/packet/noble');" +
          "const p = await import('@tinyssb/packet'); console.log(a.ed25519.backend, b.ed25519.backend, typeof p.checkEntry)",
      ],
      { cwd: pkgDir, encoding: 'utf8' },
    )
    expect(out.trim()).toBe('sodium noble function')
    const forced = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log((await import('@tinyssb/packet/ed25519')).ed25519.backend)"], {
      cwd: pkgDir,
      encoding: 'utf8',
      env: { ...process.env, TINYSSB_ED25519: 'node-crypto' },
    })
    expect(forced.trim()).toBe('node-crypto')
  })
})
