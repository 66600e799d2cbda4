// The rough edges a newcomer met: each is one clear line and the right exit code
// (2 for usage, 1 for failures), never a raw errno, an internal error or a stack trace.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { joinNegativeValues } from '../src/args.js'
import { ifaceArg, localIPv4Addresses, mcGroupPort } from '../src/face-args.js'
import { colorWanted, type Io } from '../src/io.js'
import { logger } from '../src/logger.js'
import { BIN, cli, config, filesUnder, freeUdpPort, killAll, logFile, oneErrorLine, requireBuilt, run, tempDir } from './helpers.js'

let tmp: ReturnType<typeof tempDir>
let data: string
beforeEach(() => {
  tmp = tempDir()
  data = join(tmp.path, 'data')
})
afterEach(async () => {
  await killAll()
  tmp.cleanup()
})

const NO_DATA = ['--data', '/nonexistent-tinyssb-dir']

/** Runs `argv` with both networking commands; each must fail with `code` and a line matching `msg`. */
async function bothFail(argv: string[], code: number, msg: RegExp): Promise<void> {
  for (const cmd of ['prodcons', 'bridge']) {
    const r = await run(cmd, ...(cmd === 'prodcons' ? NO_DATA : []), ...argv)
    expect(r.code, `${cmd} ${argv.join(' ')}: ${r.err.join('\n')}`).toBe(code)
    expect(oneErrorLine(r.err)).toMatch(msg)
  }
}

describe('face flags', () => {
  it('--mc 224.1.1.1/5000/7: a usage error naming the multicast group, not an internal error', async () => {
    await bothFail(['--mc', '224.1.1.1/5000/7'], 2, /^tinyssb: --mc expects GROUP\/PORT with an IPv4 multicast group .*got "224\.1\.1\.1\/5000\/7"$/)
    await bothFail(['--mc', '10.0.0.1/5000'], 2, /IPv4 multicast group/)
    await bothFail(['--udp', '1.2.3.4/5/6'], 2, /--udp expects HOST\/PORT with an IPv4 address or a host name/)
    expect(mcGroupPort('239.255.0.1/5000')).toEqual({ host: '239.255.0.1', port: 5000 })
  })

  it('--iface with an address this machine lacks: says so (not "cannot bind 0.0.0.0")', async () => {
    const local = localIPv4Addresses()
    expect(local).toContain('127.0.0.1')
    const missing = ['10.255.255.254', '192.0.2.254', '198.51.100.254'].find((a) => !local.includes(a))!
    await bothFail(['--iface', missing], 2, new RegExp(`^tinyssb: --iface ${missing.replaceAll('.', '\\.')}: no network interface of this machine has this address \\(it has .*127\\.0\\.0\\.1`))
    await bothFail(['--iface', 'eth0'], 2, /--iface expects the IPv4 address of a network interface/)
    expect(ifaceArg('127.0.0.1', ['127.0.0.1'])).toBe('127.0.0.1')
    expect(ifaceArg('0.0.0.0', [])).toBe('0.0.0.0')
    expect(() => ifaceArg('10.1.1.1', ['127.0.0.1'])).toThrow(/it has 127\.0\.0\.1\)/)
  })
})

describe('--interval', () => {
  it('-1 is refused by the check of --interval, not "argument is ambiguous"', async () => {
    for (const argv of [['--interval', '-1'], ['--interval=-1'], ['--interval', '-.5']]) {
      const r = await run('prodcons', ...NO_DATA, ...argv)
      expect(r.code).toBe(2)
      expect(oneErrorLine(r.err)).toMatch(/^tinyssb: --interval expects a number ≥ 0\.1 \(a faster producer floods its peers\), got "-\.?\d+"$/)
    }
    expect(joinNegativeValues(['--interval', '-1', '--x', '-1', '--', '--interval', '-2'], { interval: { type: 'string' }, x: { type: 'boolean' } })).toEqual([
      '--interval=-1',
      '--x',
      '-1',
      '--',
      '--interval',
      '-2',
    ])
  })

  it('0 (and anything below 0.1 s) is refused with the floor in the message; 0.1 is accepted', async () => {
    for (const v of ['0', '0.05']) {
      const r = await run('prodcons', ...NO_DATA, '--interval', v)
      expect(r.code).toBe(2)
      expect(oneErrorLine(r.err)).toMatch(/--interval expects a number ≥ 0\.1/)
    }
    // 0.1 passes the flag checks: the next failure is the missing data directory (exit 1)
    const ok = await run('prodcons', ...NO_DATA, '--interval', '0.1', '--mc', '239.255.1.1/5000', '--iface', '127.0.0.1')
    expect(ok.code).toBe(1)
    expect(oneErrorLine(ok.err)).toMatch(/no data directory/)
  })
})

describe('init', () => {
  it('--data FILE: one line saying it is a file, exit 1 (no raw ENOTDIR)', async () => {
    mkdirSync(tmp.path, { recursive: true })
    const file = join(tmp.path, 'file')
    writeFileSync(file, 'x')
    const r = await run('init', '--data', file)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.err)).toBe(`tinyssb: ${file} is a file, not a directory: give --data a directory (it is created if missing)`)
    const under = await run('init', '--data', join(file, 'sub'))
    expect(under.code).toBe(1)
    expect(oneErrorLine(under.err)).toMatch(/^tinyssb: cannot create .*file\/sub\/nodeA\/_blob: a part of the path is a file, not a directory \(ENOTDIR\)$/)
    // the other commands too
    const dump = await run('log', 'dump', '--data', file)
    expect(dump.code).toBe(1)
    expect(oneErrorLine(dump.err)).toBe(`tinyssb: --data ${file} is a file, not a data directory`)
    expect(readFileSync(file, 'utf8')).toBe('x')
  })

  it('--force refuses a directory that holds anything but node directories, deleting nothing', async () => {
    expect((await run('init', '--data', data)).code).toBe(0)
    for (const stray of ['notes.txt', 'photos']) {
      const dir = join(tmp.path, `case-${stray}`)
      expect((await run('init', '--data', dir)).code).toBe(0)
      if (stray === 'photos') mkdirSync(join(dir, stray))
      else writeFileSync(join(dir, stray), 'keep me')
      const before = filesUnder(dir)
      const r = await run('init', '--data', dir, '--force')
      expect(r.code).toBe(1)
      expect(oneErrorLine(r.err)).toBe(
        `tinyssb: ${dir} does not look like a tinySSB data directory (it holds "${stray}"): --force only replaces node directories; nothing was deleted`,
      )
      expect(filesUnder(dir)).toEqual(before)
    }
  })

  it('a config.json whose feedID is not the key of its secret is refused by every command, nothing written', async () => {
    expect((await run('init', '--data', data)).code).toBe(0)
    const path = join(data, 'nodeB', 'config.json')
    const cfg = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    cfg.feedID = config(data, 'nodeA').feedID
    writeFileSync(path, JSON.stringify(cfg, null, 2))
    for (const argv of [['log', 'append', 'x'], ['repo'], ['log', 'dump'], ['log', 'verify']]) {
      const r = await run(...argv, '--data', data, '--node', 'nodeB')
      expect(r.code, argv.join(' ')).toBe(1)
      expect(oneErrorLine(r.err)).toMatch(/^tinyssb: .*nodeB\/config\.json: "feedID" [0-9a-f]{16}… is not the public key of "secret" \(that is [0-9a-f]{16}…\); fix or re-create/)
      expect(r.err.join('\n')).not.toContain(cfg.secret as string)
    }
    expect(readdirSync(join(data, 'nodeB', '_logs'))).toEqual([])
  })
})

describe('log dump: what verifies, then the error', () => {
  it('dump: a bad entry in the middle of a long log (a later chunk) still shows every entry before it', async () => {
    expect((await run('init', '--data', data)).code).toBe(0)
    for (let i = 0; i < 5; i++) await run('repo', '--data', data) // 30 entries
    const file = logFile(data, 'nodeA', config(data).feedID)
    const b = readFileSync(file)
    b[128 * 20 + 8 + 20]! ^= 0x01 // entry 20's payload: its signature no longer matches
    writeFileSync(file, b)
    const d = await run('log', 'dump', '--data', data)
    expect(d.code).toBe(1)
    expect(d.out.slice(1).map((l) => Number(/^\[(\d+)\]/.exec(l)?.[1]))).toEqual([...Array(19).keys()].map((i) => i + 1))
    expect(oneErrorLine(d.err)).toMatch(/entry \[20\]: .* — 19 entries before it shown$/)
  })
})

describe('spawned', () => {
  beforeAll(requireBuilt)

  it('init --data . --force in a data directory replaces its nodes (no EINVAL rmdir ".")', async () => {
    expect((await run('init', '--data', data)).code).toBe(0)
    const old = config(data).feedID
    const r = await cli(['init', '--data', '.', '--force'], 10_000, { cwd: data })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^initialized \. with nodeA, nodeB, nodeC/)
    expect(r.stdout.split('\n')[0]).toBe('.')
    expect(config(data).feedID).not.toBe(old)
    expect(readdirSync(data).sort()).toEqual(['nodeA', 'nodeB', 'nodeC'])
  })

  it('no escape codes when stdout is not a terminal', async () => {
    const port = await freeUdpPort()
    const r = await cli(['bridge', '--udp-listen', String(port), '--udp', `127.0.0.1/${port + 1}`, '--timeout', '0.2'], 10_000)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/bridging /)
    expect(r.stdout + r.stderr).not.toContain('\x1b')
  })

  it('without the build, the bin says what to run (no module-not-found stack trace)', async () => {
    const bin = join(tmp.path, 'bin', 'tinyssb.js')
    mkdirSync(join(tmp.path, 'bin'), { recursive: true })
    copyFileSync(BIN, bin)
    copyFileSync(join(dirname(BIN), 'young-gen.js'), join(tmp.path, 'bin', 'young-gen.js')) // imported by the bin
    copyFileSync(join(dirname(BIN), 'jit.js'), join(tmp.path, 'bin', 'jit.js')) // imported by the bin
    const r = await cli(['--help'], 10_000, { bin })
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.stderr)).toMatch(/^tinyssb: the CLI is not built yet \(no dist\/main\.js\): .*"npm run setup"/)
  })
})

describe('colors', () => {
  it('only on a terminal, never with NO_COLOR set or TERM=dumb', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true)
    expect(colorWanted({ isTTY: false }, {})).toBe(false)
    expect(colorWanted({}, {})).toBe(false)
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true) // set but empty: no effect (no-color.org)
    expect(colorWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
  })

  it('the logger colors only when the Io allows it', () => {
    const lines: string[] = []
    const io = (color: boolean): Io => ({ out: (l) => void lines.push(l), err: () => {}, tty: true, color })
    const at = () => new Date(2025, 0, 31, 18, 24, 49, 670)
    logger(io(false), at)('green', 'hello')
    logger(io(true), at)('green', 'hello')
    expect(lines).toEqual(['18:24:49.670 hello', '\x1b[32m18:24:49.670 hello\x1b[0m'])
  })
})
