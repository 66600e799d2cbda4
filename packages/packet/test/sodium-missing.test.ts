// Without sodium-native (an optional peer dependency): `/ed25519` and the worker pool fall back to
// node:crypto, and `/sodium` says what to install. The built package is copied into a temporary
// node_modules that holds its other dependencies but no sodium-native, and run by plain Node.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'

const pkgDir = fileURLToPath(new URL('..', import.meta.url))
const root = mkdtempSync(join(tmpdir(), 'tinyssb-nosodium-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const copy = join(root, 'node_modules', '@tinyssb', 'packet')
mkdirSync(copy, { recursive: true })
cpSync(join(pkgDir, 'package.json'), join(copy, 'package.json'))
cpSync(join(pkgDir, 'dist'), join(copy, 'dist'), { recursive: true })
for (const dep of ['@noble/ed25519', '@noble/hashes', '@tinyssb/core']) {
  mkdirSync(join(root, 'node_modules', dep, '..'), { recursive: true })
  symlinkSync(realpathSync(join(pkgDir, 'node_modules', dep)), join(root, 'node_modules', dep))
}

// NODE_PATH goes: pnpm's bin shims point it at the store's hoisted node_modules, sodium-native included
const { NODE_PATH: _, ...env } = process.env
const run = (code: string) => execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', env: { ...env, TINYSSB_ED25519: '' } }).trim()

it('the copy really has no sodium-native', () => {
  expect(run("try { (await import('node:module')).createRequire(process.cwd() + '/x.js')('sodium-native'); console.log('found') } catch { console.log('missing') }")).toBe('missing')
})

it('@tinyssb/packet/ed25519 falls back to node:crypto, and still verifies', () => {
  const out = run(
    "const { ed25519 } = await import('@tinyssb/packet/ed25519'); const s = ed25519.signer(new Uint8Array(32).fill(1)); const m = new Uint8Array([1]);" +
      'console.log(ed25519.backend, ed25519.verify(s.sign(m), m, s.publicKey), ed25519.verify(s.sign(m), new Uint8Array([2]), s.publicKey))',
  )
  expect(out).toBe('node-crypto true false')
})

it('the worker pool falls back to node:crypto; asking for sodium throws', () => {
  const out = run(
    "const { parallelEd25519 } = await import('@tinyssb/packet/node-crypto'); const p = parallelEd25519({ threads: 1 }); console.log(p.backend); await p.close();" +
      "try { parallelEd25519({ backend: 'sodium' }); console.log('no error') } catch (e) { console.log(/sodium-native/.test(e.message)) }",
  )
  expect(out).toBe('node-crypto\ntrue')
})

it('@tinyssb/packet/sodium throws on import, naming sodium-native', () => {
  const out = run("try { await import('@tinyssb/packet/sodium'); console.log('imported') } catch (e) { console.log(e.message) }")
  expect(out).toMatch(/needs sodium-native .*npm install sodium-native/)
})
