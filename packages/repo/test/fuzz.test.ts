// Fuzz of the repo's parsers: the log header codec, the log file reader (a store
// opening random and mutated log files, read-only and writable) and parseConfig. Any exception
// other than a StoreError fails (CONFIG_INVALID for configs, STORE_CORRUPT for files). Seeded
// (TINYSSB_FUZZ_SEED=<n> explores another seed), a fixed number of runs, a time limit each.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PacketError } from '@tinyssb/packet'
import { FUZZ, mutated as mutatedFrame } from '@tinyssb/testkit'
import { formatConfig, fsLogStore, parseConfig, parseLogHeader, StoreError, type LogInfo, type NodeConfig } from '../src/index.js'
import { cleanTempDirs, collect, Feed, hex, tempDir, verifier } from './helpers.js'

cleanTempDirs()

/** Runs `fn`; a StoreError with one of `codes` is a clean refusal, any other exception fails. */
async function refusedWith(codes: string[], fn: () => unknown): Promise<StoreError | undefined> {
  try {
    await fn()
    return undefined
  } catch (err) {
    if (err instanceof StoreError && codes.includes(err.code)) return err
    throw err
  }
}

/** `base` changed by up to 4 edits, each extending by up to 200 bytes or overwriting up to 24: file-sized input. */
const mutated = (base: fc.Arbitrary<Uint8Array>) => mutatedFrame(base, { extendBytes: 200, splatBytes: 24, edits: 4 })

const feed = new Feed(41)
/** A valid log file of `feed` with 6 entries (filled in by the first test that needs it). */
let validLog: Uint8Array | undefined
async function validLogFile(): Promise<Uint8Array> {
  if (validLog) return validLog
  const dir = tempDir()
  const logs = await fsLogStore({ dir, verifier, createIfMissing: true })
  await logs.create(feed.fid)
  for (const e of feed.take(6)) await logs.append(feed.fid, e.seq, e.wire)
  await logs.close()
  validLog = new Uint8Array(readFileSync(join(dir, '_logs', `${hex(feed.fid)}.log`)))
  return validLog
}

describe('fuzz: repo parsers refuse bad input with StoreError, never anything else', () => {
  it('parseLogHeader: any bytes, any length', async () => {
    const header = (await validLogFile()).slice(0, 128)
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 128, maxLength: 128 }), mutated(fc.constant(header))), (b) => {
        try {
          const info = parseLogHeader(b)
          expect(b.length).toBe(128)
          expect(info.frontSeq).toBeGreaterThanOrEqual(info.anchorSeq)
        } catch (err) {
          if (!(err instanceof StoreError) || err.code !== 'STORE_CORRUPT') throw err
        }
      }),
      FUZZ,
    )
  })

  it('the log file reader: a store opening random and mutated files reads, verifies and appends without crashing', { timeout: 30_000 }, async () => {
    const file = fc.oneof({ weight: 1, arbitrary: fc.uint8Array({ maxLength: 1200 }) }, { weight: 4, arbitrary: mutated(fc.constant(await validLogFile())) })
    const next = new Feed(41).take(7)[6]!
    await fc.assert(
      fc.asyncProperty(file, fc.boolean(), async (bytes, readOnly) => {
        const dir = tempDir()
        const setup = await fsLogStore({ dir, verifier, createIfMissing: true })
        await setup.close()
        writeFileSync(join(dir, '_logs', `${hex(feed.fid)}.log`), bytes)
        const logs = await fsLogStore({ dir, verifier, readOnly })
        const CORRUPT = ['STORE_CORRUPT']
        let info: LogInfo | undefined
        await refusedWith(CORRUPT, async () => {
          info = await logs.info(feed.fid)
        })
        await refusedWith(CORRUPT, () => logs.get(feed.fid, 3))
        await refusedWith(CORRUPT, () => collect(logs.entries(feed.fid)))
        const check = await logs.verify(feed.fid) // never throws for bad data
        expect(check.ok || typeof check.code === 'string').toBe(true)
        if (!readOnly && info) {
          // a writer either takes the real next entry or refuses it with a typed error
          await logs.append(feed.fid, info.frontSeq + 1, next.wire).catch((err: unknown) => {
            if (!(err instanceof StoreError || err instanceof PacketError)) throw err
          })
        }
        await logs.close()
      }),
      { ...FUZZ, numRuns: 300 },
    )
  })

  const cfg: NodeConfig = {
    name: 'nodeA',
    feedID: feed.fid,
    secret: new Uint8Array(32).fill(7),
    msgID0: '616263',
    trusted: [{ fid: new Feed(42).fid, seq: 0, mid: '616263' }],
  }
  const validText = formatConfig(cfg)

  it('parseConfig: random text, mutated configs, and JSON of any shape and depth', () => {
    const enc = new TextEncoder()
    const dec = new TextDecoder()
    // deep nesting where a value is quoted in the error message (e.g. a trusted feed ID nested 5,000 deep)
    const deep = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), fc.nat(2)).map(([n, open, closed, at]) => {
      const value = `${open.repeat(n)}1${closed ? (open === '[' ? ']' : '}').repeat(n) : ''}`
      const entry = ['"' + hex(feed.fid) + '"', '0', '"616263"']
      entry[at] = value
      return validText.replace(/"trusted": \[[^]*\]/, `"trusted": [[${entry.join(', ')}]]`)
    })
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 6 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ ...JSON.parse(validText), trusted: v })),
      fc.jsonValue({ maxDepth: 3 }).chain((v) => fc.constantFrom('name', 'feedID', 'secret', 'msgID0').map((k) => JSON.stringify({ ...JSON.parse(validText), [k]: v }))),
      mutated(fc.constant(enc.encode(validText))).map((b) => dec.decode(b)),
      deep,
    )
    fc.assert(
      fc.property(text, (t) => {
        try {
          const c = parseConfig(t)
          expect(c.feedID.length).toBe(32)
          expect(c.secret.length).toBe(32)
        } catch (err) {
          if (!(err instanceof StoreError) || err.code !== 'CONFIG_INVALID') throw err
          expect(err.message).not.toContain(hex(cfg.secret)) // the secret is never quoted
        }
      }),
      FUZZ,
    )
  })
})
