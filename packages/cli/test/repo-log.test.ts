// `tinyssb repo` (the original test_repo.py) and `tinyssb log append | dump | verify`.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromHex, genesisPosition, toHex, verifyEntry } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { writeNodeConfig, writeState } from '@tinyssb/repo'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { config, filesUnder, loadVectors, logFile, oneErrorLine, run, tempDir } from './helpers.js'

let tmp: ReturnType<typeof tempDir>
let data: string
let fidA: string
beforeEach(async () => {
  tmp = tempDir()
  data = join(tmp.path, 'data')
  expect((await run('init', '--data', data)).code).toBe(0)
  fidA = config(data).feedID
})
afterEach(() => tmp.cleanup())

const size = (p: string): number => statSync(p).size
const dumpJson = async (...args: string[]) => {
  const r = await run('log', 'dump', '--data', data, '--json', ...args)
  expect(r.code, r.err.join('\n')).toBe(0)
  return r.out.map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('tinyssb repo', () => {
  it('first run: genesis + 5 plain + 1 chain entry, all printed with the chain resolved', async () => {
    const r = await run('repo', '--data', data)
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(r.out[0]).toBe('node: nodeA')
    const lines = r.out.slice(1)
    expect(lines).toHaveLength(7)
    expect(lines[0]).toMatch(/^\[1\] [0-9a-f]{40} plain48 "hello, first log entry"$/)
    for (let seq = 2; seq <= 6; seq++) expect(lines[seq - 1]).toMatch(new RegExp(`^\\[${seq}\\] [0-9a-f]{40} plain48 "${String(seq).repeat(48)}"$`))
    expect(lines[6]).toMatch(/^\[7\] [0-9a-f]{40} chain20 \d+B "\d{4}-\d\d-\d\dT[\d:.]+Z \| (more than 48 bytes is ){10}"$/)
    expect(size(logFile(data, 'nodeA', fidA))).toBe(128 * (1 + 7))
  })

  it('second run appends 6 more (13), prints all, verifies; blobs under _blob/xx/', async () => {
    await run('repo', '--data', data)
    const r = await run('repo', '--data', data)
    expect(r.code).toBe(0)
    expect(r.out.slice(1).map((l) => Number(/^\[(\d+)\]/.exec(l)?.[1]))).toEqual([...Array(13).keys()].map((i) => i + 1))
    expect(r.out[13]).toMatch(/^\[13\] .* chain20 /)
    expect(r.out[8]).toMatch(/^\[8\] .* plain48 "8{48}"$/)
    expect(size(logFile(data, 'nodeA', fidA))).toBe(128 * (1 + 13))
    const blobs = filesUnder(join(data, 'nodeA', '_blob'))
    // both chain entries need 3 blobs; they differ only in the timestamp, which fits in the entry
    // itself, so their blobs are the same files (content-addressed)
    expect(blobs.length).toBe(3)
    for (const b of blobs) {
      expect(b).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{38}$/)
      expect(size(join(data, 'nodeA', '_blob', b))).toBe(120)
    }
    const v = await run('log', 'verify', '--data', data)
    expect(v.code).toBe(0)
    expect(v.out).toEqual([`ok ${fidA} 13 entries, front [13]`, 'nodeA: 1 log verified'])
  })

  it('--node nodeB writes nodeB\'s own log', async () => {
    expect((await run('repo', '--data', data, '--node', 'nodeB')).code).toBe(0)
    expect(readdirSync(join(data, 'nodeB', '_logs'))).toEqual([`${config(data, 'nodeB').feedID}.log`])
    expect(readdirSync(join(data, 'nodeA', '_logs'))).toEqual([])
  })
})

describe('tinyssb log append', () => {
  it('creates the genesis entry of a node without a log (seq 1, prev = fid[0:20])', async () => {
    const r = await run('log', 'append', '--data', data, 'hello')
    expect(r.code).toBe(0)
    expect(r.out[0]).toMatch(new RegExp(`^appended ${fidA}\\.\\[1\\] mid=[0-9a-f]{40} plain48 5 bytes$`))
    const file = readFileSync(logFile(data, 'nodeA', fidA))
    expect(file.length).toBe(256)
    const wire = new Uint8Array(file.subarray(128 + 8, 256))
    const e = verifyEntry(genesisPosition(fromHex(fidA)), wire, ed25519) // throws if not a valid genesis
    expect(e.seq).toBe(1)
    expect(toHex(e.payload.subarray(0, 5))).toBe(toHex(new TextEncoder().encode('hello')))
  })

  it('appends plain TEXT (words joined) and --hex, shown by dump', async () => {
    await run('log', 'append', '--data', data, 'two', 'words')
    expect((await run('log', 'append', '--data', data, '--hex', '00ff10')).code).toBe(0)
    const d = await run('log', 'dump', '--data', data)
    expect(d.out[0]).toBe(`log ${fidA} of nodeA: anchor [0], front [2]`)
    expect(d.out[1]).toMatch(/^\[1\] [0-9a-f]{40} plain48 "two words"$/)
    expect(d.out[2]).toMatch(/^\[2\] [0-9a-f]{40} plain48 0x00ff10$/)
    const j = await dumpJson()
    expect(j[1]!.payload).toBe(`00ff10${'00'.repeat(45)}`)
  })

  it('--chain stores content over 48 bytes in several blobs; dump shows it', async () => {
    const text = 'a sidechain entry holds content of any length: '.repeat(8)
    const r = await run('log', 'append', '--data', data, '--chain', text)
    expect(r.code).toBe(0)
    expect(r.out[0]).toMatch(/ chain20 376 bytes$/)
    expect(filesUnder(join(data, 'nodeA', '_blob')).length).toBeGreaterThan(1)
    const d = await run('log', 'dump', '--data', data)
    expect(d.out[1]).toBe(d.out[1]!.replace(/ chain20 .*/, ` chain20 376B ${JSON.stringify(text)}`))
    const [e] = await dumpJson()
    expect(e).toMatchObject({ seq: 1, type: 'chain20', length: 376, content: toHex(new TextEncoder().encode(text)) })
    expect((await run('log', 'verify', '--data', data)).code).toBe(0)
  })

  it('refuses a plain payload over 48 bytes (exit 2, mentions --chain) and writes nothing', async () => {
    await run('log', 'append', '--data', data, 'first')
    const before = size(logFile(data, 'nodeA', fidA))
    const r = await run('log', 'append', '--data', data, 'x'.repeat(49))
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/at most 48 bytes, got 49.*--chain/)
    expect(size(logFile(data, 'nodeA', fidA))).toBe(before)
    expect((await run('log', 'append', '--data', data, '--hex', 'ab'.repeat(49))).code).toBe(2)
    expect(size(logFile(data, 'nodeA', fidA))).toBe(before)
    expect((await run('log', 'append', '--data', data, 'x'.repeat(48))).code).toBe(0) // exactly 48 is fine
  })

  it.each([['zz'], ['abc'], ['0x12']])('refuses bad --hex %s with exit 2', async (hex) => {
    const r = await run('log', 'append', '--data', data, '--hex', hex)
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/^tinyssb: --hex: /)
    expect(readdirSync(join(data, 'nodeA', '_logs'))).toEqual([])
  })

  it('wants exactly one of TEXT and --hex', async () => {
    expect((await run('log', 'append', '--data', data)).code).toBe(2)
    const r = await run('log', 'append', '--data', data, '--hex', '00', 'text')
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/exactly one/)
  })

  // bug fix: normalizeDashes rewrote "-chain" after the "--" terminator into "--chain"
  it('text after -- is content, even when it looks like an option', async () => {
    expect((await run('log', 'append', '--data', data, '--', '-chain', '--node')).code).toBe(0)
    expect((await run('log', 'dump', '--data', data)).out[1]).toMatch(/plain48 "-chain --node"$/)
  })

  it('writes the same bytes as the Python reference (vectors/logfile.json full_log)', async () => {
    const v = loadVectors('logfile.json').full_log
    const secret = fromHex(v.seed)
    const dir = join(tmp.path, 'ref', 'nodeA')
    await writeNodeConfig(dir, { name: 'nodeA', feedID: ed25519.publicKey(secret), secret, msgID0: '616263', trusted: [] })
    await writeState(dir)
    const refData = join(tmp.path, 'ref')
    for (const s of v.steps as { op: string; payload_in?: string; content?: string }[]) {
      const args = s.op === 'append_chain' ? ['--chain', '--hex', s.content!] : ['--hex', s.payload_in!]
      const r = await run('log', 'append', '--data', refData, ...args)
      expect(r.code, r.err.join('\n')).toBe(0)
    }
    expect(toHex(readFileSync(join(dir, v.file_name)))).toBe(v.file_bytes)
    for (const b of v.blobs as { path: string; bytes: string }[]) expect(toHex(readFileSync(join(dir, b.path)))).toBe(b.bytes)
    expect(filesUnder(join(dir, '_blob'))).toHaveLength(v.blobs.length)
  })
})

describe('tinyssb log dump', () => {
  it('--json: one object per line, bytes as hex', async () => {
    await run('repo', '--data', data)
    const r = await run('log', 'dump', '--data', data, '--json')
    expect(r.out).toHaveLength(7)
    const objs = r.out.map((l) => JSON.parse(l))
    objs.forEach((o, i) => {
      expect(o.seq).toBe(i + 1)
      expect(o.mid).toMatch(/^[0-9a-f]{40}$/)
      expect(o.wire).toMatch(/^[0-9a-f]{240}$/)
    })
    expect(Object.keys(objs[0])).toEqual(['seq', 'mid', 'type', 'payload', 'wire'])
    expect(objs[0].payload).toBe(toHex(new TextEncoder().encode('hello, first log entry')).padEnd(96, '0'))
    expect(Object.keys(objs[6])).toEqual(['seq', 'mid', 'type', 'length', 'content', 'wire'])
    expect(new TextDecoder().decode(fromHex(objs[6].content))).toMatch(/more than 48 bytes/)
  })

  it('--feed dumps a replica; an unknown feed is exit 1 with one line', async () => {
    // a header-only trust anchor in nodeB, as the producer makes it
    await run('log', 'append', '--data', data, 'x')
    const anchor = Buffer.alloc(128)
    Buffer.from(fidA, 'hex').copy(anchor, 12)
    Buffer.from(fidA.slice(0, 40), 'hex').copy(anchor, 84)
    Buffer.from(fidA.slice(0, 40), 'hex').copy(anchor, 108)
    writeFileSync(logFile(data, 'nodeB', fidA), anchor)
    const r = await run('log', 'dump', '--data', data, '--node', 'nodeB', '--feed', fidA)
    expect(r.code).toBe(0)
    expect(r.out).toEqual([`log ${fidA} of nodeB: anchor [0], front [0]`])
    const unknown = 'ab'.repeat(32)
    const u = await run('log', 'dump', '--data', data, '--feed', unknown)
    expect(u.code).toBe(1)
    expect(oneErrorLine(u.err)).toBe(`tinyssb: nodeA has no log for feed ${unknown}`)
    const bad = await run('log', 'dump', '--data', data, '--feed', 'abcd')
    expect(bad.code).toBe(2)
    expect(oneErrorLine(bad.err)).toMatch(/--feed expects 32 bytes/)
  })

  it('a chain entry whose blob was deleted shows "still missing blob <hex>" (--json: "missing")', async () => {
    await run('log', 'append', '--data', data, '--chain', 'y'.repeat(300))
    const [e] = await dumpJson()
    const ptr = (e!.wire as string).slice(36 * 2, 56 * 2) // the chain20 payload ends with the first blob's hash
    rmSync(join(data, 'nodeA', '_blob', ptr.slice(0, 2), ptr.slice(2)))
    const d = await run('log', 'dump', '--data', data)
    expect(d.code).toBe(0)
    expect(d.out[1]).toMatch(new RegExp(`chain20 300B \\(incomplete: \\d+ bytes, still missing blob ${ptr}\\)$`))
    const [m] = await dumpJson()
    expect(m).toMatchObject({ seq: 1, type: 'chain20', length: 300, missing: ptr })
    expect(m).not.toHaveProperty('content')
  })
})

describe('tinyssb log verify', () => {
  it('is ok on good logs, replicas included', async () => {
    await run('repo', '--data', data)
    const r = await run('log', 'verify', '--data', data)
    expect(r).toMatchObject({ code: 0, err: [] })
    const v = await run('log', 'verify', '--data', data, '--node', 'nodeC')
    expect(v.out).toEqual(['nodeC: 0 logs verified'])
  })

  it('fails with one line naming the log and seq when a signature byte was flipped', async () => {
    await run('repo', '--data', data)
    const file = logFile(data, 'nodeA', fidA)
    const b = readFileSync(file)
    b[128 * 3 + 8 + 100]! ^= 0x01 // seq 3, inside the signature (wire bytes 56..119)
    writeFileSync(file, b)
    const r = await run('log', 'verify', '--data', data)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.err)).toBe(`tinyssb: log ${fidA} of nodeA: entry [3]: entry 3 has a bad signature (PACKET_SIGNATURE) — "tinyssb log repair --node nodeA" cuts it back to what verifies`)
    // dump shows the entries that verify, then the error: one line, exit 1
    const d = await run('log', 'dump', '--data', data)
    expect(d.code).toBe(1)
    expect(d.out).toHaveLength(3)
    expect(d.out[1]).toMatch(/^\[1\] [0-9a-f]{40} plain48 "hello, first log entry"$/)
    expect(d.out[2]).toMatch(/^\[2\] [0-9a-f]{40} plain48 "2{48}"$/)
    expect(oneErrorLine(d.err)).toMatch(new RegExp(`^tinyssb: log ${fidA} of nodeA: entry \\[3\\]: .*\\(PACKET_SIGNATURE\\) — 2 entries before it shown$`))
    const j = await run('log', 'dump', '--data', data, '--json')
    expect(j.code).toBe(1)
    expect(j.out.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2])
  })

  it('a file cut mid-entry: verify reports it without touching the file; a writer repairs it and refuses to fork the own feed', async () => {
    await run('repo', '--data', data)
    const file = logFile(data, 'nodeA', fidA)
    truncateSync(file, 128 * 7 + 60) // entry 7 torn
    // verify and dump only read (they may run beside a writer in another process): no repair
    const r = await run('log', 'verify', '--data', data)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.err)).toMatch(/entry \[7\]: .*entry 7 is cut short \(60 of 128 bytes\).*\(STORE_CORRUPT\)/)
    expect(size(file)).toBe(128 * 7 + 60)
    // a writer repairs it on open and says so (loudly: it is nodeA's own feed); entry 7 may be at
    // peers, so a new entry 7 would fork the feed: refused (exit 1, CLI_FORK)
    const a = await run('log', 'append', '--data', data, 'after repair')
    expect(a.code, a.err.join('\n')).toBe(1)
    expect(a.out).toEqual([])
    expect(a.err).toHaveLength(3)
    expect(a.err[0]).toMatch(/^tinyssb: warning: nodeA: log [0-9a-f]{16}… repaired on open \(partial-block\)/)
    expect(a.err[1]).toMatch(/\(front-beyond-file\): front \[7\] → \[6\] — this is nodeA's own feed/)
    expect(a.err[2]).toMatch(/^tinyssb: nodeA's own feed [0-9a-f]{16}… was cut back from entry 7 to 6: .*log recover --node nodeA.*--force/)
    // the next run still knows (the marker), though the log now looks intact
    const again = await run('log', 'append', '--data', data, 'after repair')
    expect(again.code).toBe(1)
    expect(oneErrorLine(again.err)).toMatch(/was cut back from entry 7 to 6/)
    // --force: a warning that peers will see a fork, and the entry
    const f = await run('log', 'append', '--data', data, '--force', 'after repair')
    expect(f.code, f.err.join('\n')).toBe(0)
    expect(f.out[0]).toMatch(/\.\[7\] /)
    expect(f.err.join('\n')).toMatch(/^tinyssb: warning: --force: .*peers that hold the lost entries will see a fork/)
    const ok = await run('log', 'verify', '--data', data)
    expect(ok.code).toBe(0)
    expect(ok.out[0]).toBe(`ok ${fidA} 7 entries, front [7]`)
    expect((await run('log', 'append', '--data', data, 'and on')).code).toBe(0) // the marker is gone
  })

  it('a header claiming more than the file holds: repaired to what is there, or one clear line', async () => {
    await run('repo', '--data', data)
    const file = logFile(data, 'nodeA', fidA)
    truncateSync(file, 128 * 4 + 3)
    const r = await run('log', 'verify', '--data', data)
    if (r.code === 0) {
      expect(r.out[0]).toBe(`ok ${fidA} 3 entries, front [3]`)
    } else {
      expect(r.code).toBe(1)
      expect(oneErrorLine(r.err)).toContain(fidA)
    }
  })

  it('a truncated header is one clear line, not a crash', async () => {
    await run('log', 'append', '--data', data, 'x')
    const file = logFile(data, 'nodeA', fidA)
    truncateSync(file, 100)
    const r = await run('log', 'verify', '--data', data)
    expect([0, 1]).toContain(r.code)
    if (r.code === 1) expect(oneErrorLine(r.err)).toContain(fidA)
  })

  it('unknown log subcommand: exit 2', async () => {
    const r = await run('log', 'frobnicate', '--data', data)
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toMatch(/unknown log command "frobnicate"/)
    expect((await run('log')).code).toBe(2)
  })
})

describe('a node directory that is not there', () => {
  it('missing data dir: exit 1, "run tinyssb init first"', async () => {
    for (const argv of [['repo'], ['log', 'dump'], ['log', 'verify'], ['log', 'append', 'x']]) {
      const r = await run(...argv, '--data', join(tmp.path, 'nope'))
      expect(r.code).toBe(1)
      expect(oneErrorLine(r.err)).toMatch(/no data directory at .*nope \(run "tinyssb init" first\)/)
    }
  })

  it('missing node: exit 1; a bad node name: exit 2', async () => {
    mkdirSync(join(data, 'nodeD'))
    const r = await run('log', 'dump', '--data', data, '--node', 'nodeD')
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.err)).toMatch(/no node "nodeD"/)
    const b = await run('log', 'dump', '--data', data, '--node', '../nodeA')
    expect(b.code).toBe(2)
    oneErrorLine(b.err)
  })
})

describe('micropython data directories (HMAC-SHA512 signatures, compact config.json)', () => {
  it('--hmac appends, dumps and verifies; without it verify points at --hmac', async () => {
    // micropython's test_init.py writes json.dump(n, f) without indent
    for (const n of ['nodeA', 'nodeB', 'nodeC']) {
      const p = join(data, n, 'config.json')
      writeFileSync(p, JSON.stringify(JSON.parse(readFileSync(p, 'utf8'))))
    }
    expect((await run('log', 'append', '--data', data, '--hmac', 'hmac entry')).code).toBe(0)
    expect((await run('log', 'append', '--data', data, '--hmac', '--chain', 'x'.repeat(200))).code).toBe(0)
    const ok = await run('log', 'verify', '--data', data, '--hmac')
    expect(ok.code).toBe(0)
    expect(ok.out[0]).toMatch(/ 2 entries, front \[2\]$/)
    const dump = await run('log', 'dump', '--data', data, '--hmac')
    expect(dump.out.slice(1).map((l) => l.split(' ').slice(2).join(' '))).toEqual(['plain48 "hmac entry"', `chain20 200B "${'x'.repeat(200)}"`])
    const bad = await run('log', 'verify', '--data', data)
    expect(bad.code).toBe(1)
    expect(oneErrorLine(bad.err)).toMatch(/entry \[1\]: .*\(PACKET_SIGNATURE\) \(made by the micropython demo\? try --hmac\)$/)
  })
})
