// config.json / state.json against vectors/config_samples.json (what the reference's test_init.py writes).
import { chmodSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { describe, expect, it } from 'vitest'
import { formatConfig, MAX_CONFIG_CHARS, MAX_CONFIG_DEPTH, parseConfig, readNodeConfig, StoreError, writeNodeConfig, writeState, type NodeConfig } from '../src/index.js'
import { bytes, cleanTempDirs, hex, loadVectors, tempDir } from './helpers.js'

cleanTempDirs()

const SAMPLES = loadVectors('config_samples.json')
const META = loadVectors('meta.json')
const NODES = [
  { name: 'nodeA', key: 10 },
  { name: 'nodeB', key: 11 },
  { name: 'nodeC', key: 12 },
]
const seedOf = (key: number): Uint8Array => bytes(META.keys.find((k: any) => k.key_index === key).seed)

function configOf(name: string): NodeConfig {
  const me = NODES.find((n) => n.name === name)!
  const secret = seedOf(me.key)
  return {
    name,
    feedID: nodeEd25519.publicKey(secret),
    secret,
    msgID0: '616263',
    trusted: NODES.filter((n) => n !== me).map((n) => ({ fid: nodeEd25519.publicKey(seedOf(n.key)), seq: 0, mid: '616263' })),
  }
}
const configFiles: { path: string; text: string; bytes: string }[] = SAMPLES.files.filter((f: any) => f.path.endsWith('config.json'))

describe('config.json', () => {
  it.each(configFiles)('formatConfig reproduces $path byte for byte', (f) => {
    const name = f.path.split('/')[1]!
    const text = formatConfig(configOf(name))
    expect(text).toBe(f.text)
    expect(hex(new TextEncoder().encode(text))).toBe(f.bytes)
  })

  it.each(configFiles)('parseConfig of $path round-trips', (f) => {
    const cfg = parseConfig(f.text)
    expect(cfg).toEqual(configOf(f.path.split('/')[1]!))
    expect(formatConfig(cfg)).toBe(f.text)
  })

  it('escapes like Python json.dumps (ensure_ascii) and writes [] for no trusted feeds', () => {
    const cfg = { ...configOf('nodeA'), name: 'nöde "x"\n\u007f😀', trusted: [] }
    const text = formatConfig(cfg)
    // json.dumps({"name": "nöde \"x\"\n\x7f😀"}) -> "n\u00f6de \"x\"\n\u007f\ud83d\ude00"
    expect(text).toContain('"name": "n\\u00f6de \\"x\\"\\n\\u007f\\ud83d\\ude00"')
    expect(text).toContain('"trusted": []')
    expect(parseConfig(text).name).toBe(cfg.name)
  })

  it('writes config.json with mode 0600, atomically, and reads it back', async () => {
    const dir = join(tempDir(), 'data', 'nodeA')
    const cfg = configOf('nodeA')
    await writeNodeConfig(dir, cfg)
    const path = join(dir, 'config.json')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path, 'utf8')).toBe(configFiles[0]!.text)
    expect(await readNodeConfig(dir)).toEqual(cfg)
    chmodSync(path, 0o644)
    await writeNodeConfig(dir, { ...cfg, name: 'again' }) // replacing keeps 0600 too
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['config.json']) // no temporary file left behind
  })

  it('writes state.json as the reference: {}', async () => {
    const dir = tempDir()
    await writeState(dir)
    const want = SAMPLES.files.find((f: any) => f.path.endsWith('state.json'))
    expect(hex(new Uint8Array(readFileSync(join(dir, 'state.json'))))).toBe(want.bytes)
  })

  it('readNodeConfig of a missing file is STORE_NOT_FOUND', async () => {
    await expect(readNodeConfig(tempDir())).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_NOT_FOUND' })
  })

  const good = JSON.parse(configFiles[0]!.text)
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{"name": ', /not valid JSON/],
    ['a list', [], /expected a JSON object, got a list/],
    ['no name', { ...good, name: undefined }, /"name" expected a string, got nothing/],
    ['short feedID', { ...good, feedID: 'abcd' }, /"feedID" expected 64 hex digits, got "abcd"/],
    ['bad secret', { ...good, secret: `${good.secret.slice(0, 62)}zz` }, /"secret" expected 64 hex digits \(a 32-byte seed\), got a string of 64 characters/],
    ['msgID0 number', { ...good, msgID0: 616263 }, /"msgID0" expected a string, got a number/],
    ['trusted object', { ...good, trusted: {} }, /"trusted" expected a list, got an object/],
    ['trusted pair', { ...good, trusted: [[good.feedID, 0]] }, /"trusted"\[0\] expected \[feed ID, seq, mid\]/],
    ['trusted seq', { ...good, trusted: [[good.feedID, -1, '616263']] }, /"trusted"\[0\]\[1\] expected an integer/],
  ]
  it.each(cases)('parseConfig rejects %s with CONFIG_INVALID', (_label, value, msg) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    let err: unknown
    try {
      parseConfig(text)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(StoreError)
    expect((err as StoreError).code).toBe('CONFIG_INVALID')
    expect((err as StoreError).message).toMatch(msg)
    expect((err as StoreError).message).not.toContain(good.secret.slice(0, 16))
  })

  it('is bounded: deep nesting and huge text are CONFIG_INVALID, never a RangeError', () => {
    const good = JSON.parse(configFiles[0]!.text)
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
    const texts: [string, RegExp][] = [
      // the attack that once ended in a RangeError: a trusted entry nested 5,000 lists deep
      [JSON.stringify({ ...good, trusted: [] }).replace('"trusted":[]', `"trusted":[${deep(5000)}]`), /nested more than 8 deep/],
      [deep(400_000), /nested more than 8 deep/],
      [`{"name": "${'x'.repeat(MAX_CONFIG_CHARS)}"}`, /characters, more than the 1048576 a config may have/],
      // within the depth limit, a list where a string belongs is described, not printed
      [JSON.stringify({ ...good, trusted: [[[[[[]]]], 0, '61']] }), /"trusted"\[0\]\[0\] expected 64 hex digits, got a list of 1/],
    ]
    for (const [text, msg] of texts) {
      const err = (() => {
        try {
          parseConfig(text)
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(StoreError)
      expect(err).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(msg) })
    }
    // brackets inside strings do not count as nesting
    const cfg = { ...configOf('nodeA'), name: '[[[[[[[[[[[[\\"{{{{{{{{{{{' }
    expect(parseConfig(formatConfig(cfg)).name).toBe(cfg.name)
    expect(MAX_CONFIG_DEPTH).toBe(8)
  })

  it('readNodeConfig refuses a huge file without reading it whole', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'config.json'), ' '.repeat(4 * MAX_CONFIG_CHARS + 1))
    await expect(readNodeConfig(dir)).rejects.toMatchObject({ name: 'StoreError', code: 'CONFIG_INVALID', message: expect.stringMatching(/bytes, more than a config may have/) })
  })

  it('never puts the secret into an error message', async () => {
    const dir = tempDir()
    const bad = configFiles[0]!.text.replace('"msgID0": "616263"', '"msgID0": 1,')
    writeFileSync(join(dir, 'config.json'), bad)
    const err = (await readNodeConfig(dir).catch((e: unknown) => e)) as StoreError
    expect(err.code).toBe('CONFIG_INVALID')
    expect(err.message).toContain(join(dir, 'config.json'))
    expect(err.message).not.toContain(JSON.parse(configFiles[0]!.text).secret.slice(0, 16))
  })
})
