// Argument parsing (the original's single-dash flags too), face specs, and the failure rule: one
// line on stderr, exit 2 for usage, 1 for failures, never a stack trace.
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { feedOption, hexOption, intOption, normalizeDashes, numberOption, parse } from '../src/args.js'
import { CliError } from '../src/errors.js'
import { durabilityOption } from '../src/flags.js'
import { FACE_FLAGS as FACE_OPTIONS, faceSpecs } from '../src/face-args.js'
import { hostPort, portArg } from '../src/faces.js'
import { main, usage } from '../src/main.js'
import { cli, killAll, oneErrorLine, requireBuilt, run, spawnCli, tempDir } from './helpers.js'

const PRODCONS_LIKE = { data: { type: 'string' }, cons: { type: 'string' }, ...FACE_OPTIONS, until: { type: 'string' } } as const

describe('single-dash flags of the original demos', () => {
  it('normalizeDashes turns -cons / -mc / -udp into long options, nothing else', () => {
    const opts = { cons: { type: 'string' }, mc: { type: 'string' }, udp: { type: 'string' }, v: { type: 'boolean' } } as const
    expect(normalizeDashes(['-cons', 'nodeB', '-mc', '224.1.1.1/5000', '-udp=1.2.3.4/5'], opts)).toEqual([
      '--cons',
      'nodeB',
      '--mc',
      '224.1.1.1/5000',
      '--udp=1.2.3.4/5',
    ])
    // short options, unknown names, values and long options stay as they are
    expect(normalizeDashes(['-v', '-x', '-other', 'plain', '--cons', '-1'], opts)).toEqual(['-v', '-x', '-other', 'plain', '--cons', '-1'])
    // after the "--" terminator everything is a positional (bug fix: "-cons" there was rewritten)
    expect(normalizeDashes(['-cons', 'nodeB', '--', '-cons', '-mc'], opts)).toEqual(['--cons', 'nodeB', '--', '-cons', '-mc'])
  })

  it('parse: `prodcons -cons nodeB -mc …` gives the same values as --cons', () => {
    const single = parse(['-cons', 'nodeB', '-mc', '224.1.1.1/5000', '-udp', '192.168.4.1/5001', '-kiss', '/dev/ttyUSB0'], PRODCONS_LIKE)
    const double = parse(['--cons', 'nodeB', '--mc', '224.1.1.1/5000', '--udp', '192.168.4.1/5001', '--kiss', '/dev/ttyUSB0'], PRODCONS_LIKE)
    expect(single.values).toEqual(double.values)
    expect(single.values).toMatchObject({ cons: 'nodeB', mc: ['224.1.1.1/5000'], udp: ['192.168.4.1/5001'], kiss: ['/dev/ttyUSB0'] })
    // several faces of one kind, as the original allows
    expect(parse(['-kiss', 'a', '-kiss', 'b'], PRODCONS_LIKE).values.kiss).toEqual(['a', 'b'])
  })

  it('parse: unknown options and stray positionals are CLI_USAGE errors with one line', () => {
    for (const argv of [['--nope'], ['-nope'], ['stray'], ['--cons']]) {
      try {
        parse(argv, PRODCONS_LIKE)
        expect.unreachable(argv.join(' '))
      } catch (err) {
        expect(err).toBeInstanceOf(CliError)
        expect((err as CliError).code).toBe('CLI_USAGE')
        expect((err as CliError).exitCode).toBe(2)
        expect((err as Error).message).not.toContain('\n')
      }
    }
  })

  it('intOption / numberOption check their values', () => {
    expect(intOption(undefined, 'n', 7)).toBe(7)
    expect(intOption('3', 'n', 7, 1)).toBe(3)
    expect(() => intOption('0', 'until', 7, 1)).toThrow(/--until expects an integer ≥ 1, got "0"/)
    expect(() => intOption('1.5', 'n', 0)).toThrow(CliError)
    expect(numberOption('0.1', 'interval', 5)).toBe(0.1)
    expect(() => numberOption('-1', 'interval', 5)).toThrow(/--interval expects a number ≥ 0/)
    expect(() => numberOption('soon', 'interval', 5)).toThrow(CliError)
  })

  it('durabilityOption: disk (the default) means durable stores, os not; anything else is a usage error', () => {
    expect(durabilityOption(undefined)).toBe(true)
    expect(durabilityOption('disk')).toBe(true)
    expect(durabilityOption('os')).toBe(false)
    expect(() => durabilityOption('fast')).toThrow(/^--durability expects disk or os, got "fast"$/)
    expect(() => durabilityOption('')).toThrow(CliError)
  })

  it('hexOption / feedOption: bytes, or a usage error naming the option', () => {
    expect([...hexOption('00ff', 'hex')]).toEqual([0, 255])
    expect(() => hexOption('0g', 'hex')).toThrow(/^--hex: /)
    expect(() => hexOption('abc', 'hex')).toThrow(CliError)
    expect(feedOption('ab'.repeat(32), 'feed')).toHaveLength(32)
    expect(() => feedOption('ab'.repeat(31), 'feed')).toThrow('--feed expects 32 bytes (64 hex digits), got 31')
    expect(() => feedOption('xy'.repeat(32), 'feed')).toThrow(/^--feed: /)
    for (const bad of ['0g', 'ab']) {
      try {
        feedOption(bad, 'feed')
        expect.unreachable()
      } catch (err) {
        expect((err as CliError).code).toBe('CLI_USAGE')
      }
    }
  })
})

describe('face specs', () => {
  it('hostPort accepts GROUP/PORT and HOST:PORT, rejects junk', () => {
    expect(hostPort('224.1.1.1/5000', '--mc')).toEqual({ host: '224.1.1.1', port: 5000 })
    expect(hostPort('127.0.0.1:5000', '--udp')).toEqual({ host: '127.0.0.1', port: 5000 })
    expect(hostPort('192.168.4.1/5001', '--udp')).toEqual({ host: '192.168.4.1', port: 5001 })
    for (const junk of ['', '224.1.1.1', '224.1.1.1/', '/5000', '224.1.1.1/0', '224.1.1.1/65536', '224.1.1.1/50x', 'junk']) {
      expect(() => hostPort(junk, '--mc'), junk).toThrow(CliError)
    }
    expect(() => hostPort('junk', '--mc')).toThrow(/--mc expects HOST\/PORT \(e\.g\. 224\.1\.1\.1\/5000\), got "junk"/)
    expect(portArg('5001', '--udp-listen')).toBe(5001)
    expect(() => portArg('0', '--udp-listen')).toThrow(CliError)
    expect(() => portArg('x', '--udp-listen')).toThrow(CliError)
  })

  it('--duty-cycle, --pace, --kiss-pace, --sf, --bw, --ttl, --kiss-cmd are parsed', () => {
    const { values } = parse(
      ['--duty-cycle', '1', '--pace', '250', '--kiss-pace', '0.5', '--sf', '9', '--bw', '125', '--ttl', '0', '--kiss-cmd', '--no-pacing', '--iface', '127.0.0.1'],
      FACE_OPTIONS,
    )
    expect(faceSpecs(values)).toMatchObject({
      dutyCycle: 1,
      paceMs: 250,
      kissPaceMs: 0.5,
      sf: 9,
      bwKhz: 125,
      ttl: 0,
      kissCommandByte: 0,
      noPacing: true,
      iface: '127.0.0.1',
    })
    const none = faceSpecs(parse([], FACE_OPTIONS).values)
    expect(none).toMatchObject({ dutyCycle: undefined, paceMs: undefined, kissPaceMs: undefined, kissCommandByte: undefined })
  })

  // bug fix: prodcons checked the --mc / --udp / --udp-listen addresses only after opening the data
  // directory (a typo was reported as "no data directory" or came after the node was opened)
  it.each([
    ['--duty-cycle', '0'],
    ['--duty-cycle', '101'],
    ['--duty-cycle', 'lots'],
    ['--pace', 'fast'],
    ['--pace=-5'],
    ['--kiss-pace', 'x'],
    ['--kiss-pace=-1'],
    ['--sf', '5'],
    ['--ttl', '1.5'],
    // bug fix: these passed the CLI's checks and failed inside the faces as internal errors (exit 70)
    ['--ttl', '256'],
    ['--sf', '13'],
    ['--bw', '0'],
    ['--mc', '224.1.1.1'],
    ['--udp', 'nohost'],
    ['--udp-listen', '70000'],
  ])('bad face option %s %s: exit 2 before any face or data directory is opened', async (...args) => {
    for (const cmd of ['bridge', 'prodcons']) {
      const data = cmd === 'prodcons' ? ['--data', '/nonexistent-tinyssb-dir'] : [] // bridge has no --data
      const r = await run(cmd, ...data, ...args.filter((a): a is string => a !== undefined))
      expect(r.code, `${cmd} ${args.join(' ')}: ${r.err.join('\n')}`).toBe(2)
      expect(oneErrorLine(r.err)).toContain(args[0]!.split('=')[0])
    }
  })
})

describe('errors and usage (in process)', () => {
  it('unknown command: exit 2, one tinyssb: line, then the usage', async () => {
    const r = await run('frobnicate')
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.err)).toBe('tinyssb: unknown command "frobnicate"')
    expect(r.err.slice(1).join('\n')).toBe(usage())
  })

  it('--help: exit 0 with the usage on stdout; no command at all: exit 2', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: usage().split('\n') })
    expect((await run('help')).code).toBe(0)
    const none = await run()
    expect(none.code).toBe(2)
    expect(oneErrorLine(none.err)).toBe('tinyssb: no command given')
    for (const c of ['init', 'repo', 'log append', 'log dump', 'log verify', 'prodcons', 'bridge']) expect(usage()).toMatch(new RegExp(`^  ${c} +\\w`, 'm'))
  })

  it('unknown option: exit 2 naming it', async () => {
    for (const argv of [['repo', '--colour'], ['log', 'dump', '--jsn'], ['prodcons', '--frequency', '3'], ['bridge', '-x']]) {
      const r = await run(...argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(oneErrorLine(r.err)).toMatch(/^tinyssb: Unknown option/)
    }
  })

  it('prodcons: --cons must be nodeB or nodeC; --count and --until belong to their roles', async () => {
    const cases: [string[], RegExp][] = [
      [['--cons', 'nodeA'], /--cons expects nodeB or nodeC/],
      [['--cons', 'nodeB', '--count', '3'], /--count is for the producer/],
      [['--until', '3'], /--until is for a consumer/],
      [['--until', '0', '--cons', 'nodeB'], /--until expects an integer ≥ 1/],
      [['--interval', 'x'], /--interval/],
      [['--window', '0'], /--window/],
    ]
    for (const [argv, msg] of cases) {
      const r = await run('prodcons', '--data', '/nonexistent-tinyssb-dir', ...argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(oneErrorLine(r.err)).toMatch(msg)
    }
  })

  it('an unexpected exception is "internal error", exit 70, one line', async () => {
    const err: string[] = []
    const io = {
      out: () => {
        throw new TypeError('boom')
      },
      err: (l: string) => void err.push(l),
      tty: false,
    }
    // `init` prints the tree through io.out, which throws something that is not a TinySSBError
    const t = tempDir()
    try {
      expect(await main(['init', '--data', join(t.path, 'd')], io)).toBe(70)
      expect(err).toEqual(['tinyssb: internal error: boom'])
    } finally {
      t.cleanup()
    }
  })
})

describe('errors (spawned: the real process, its stderr and exit code)', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeAll(() => {
    requireBuilt()
    tmp = tempDir()
  })
  afterEach(killAll)
  afterAll(() => tmp.cleanup())

  it('unknown command: exit 2 + usage, no stack trace', async () => {
    const r = await cli(['frobnicate'], 10_000)
    expect(r.code).toBe(2)
    expect(oneErrorLine(r.stderr)).toBe('tinyssb: unknown command "frobnicate"')
    expect(r.stderr).toContain('usage:')
  })

  it('a consumer that fails at once (its verify workers started early by the bin): exit 1, one line', async () => {
    const r = await cli(['prodcons', '--cons', 'nodeB', '--data', join(tmp.path, 'missing')], 10_000)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.stderr)).toMatch(/run "tinyssb init" first/)
    expect(r.stdout).toBe('Producer/consumer demo for tinyssb-ts (the tinySSB poc-01 protocol)\n')
  })

  it('missing data dir: exit 1, one line', async () => {
    const r = await cli(['log', 'verify', '--data', join(tmp.path, 'missing')], 10_000)
    expect(r.code).toBe(1)
    expect(oneErrorLine(r.stderr)).toMatch(/run "tinyssb init" first/)
    expect(r.stdout).toBe('')
  })

  it('a reader that closes the pipe early (`| head`) is no crash', async () => {
    const data = join(tmp.path, 'pipe')
    expect((await cli(['init', '--data', data], 10_000)).code).toBe(0)
    expect((await cli(['repo', '--data', data], 10_000)).code).toBe(0)
    const s = spawnCli(['log', 'dump', '--data', data], 10_000)
    s.child.stdout!.destroy() // bug fix: this used to end in an unhandled EPIPE 'error' event with a stack trace
    const r = await s.done
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})
