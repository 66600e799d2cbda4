// FACE_OPTIONS values → FaceSpecs, with the numeric checks.
import { intOption, numberOption } from './args.js'
import { CliError } from './errors.js'
import { hostPort, portArg, type FaceSpecs } from './faces.js'

type FaceValues = {
  mc?: string[] | undefined
  udp?: string[] | undefined
  'udp-listen'?: string[] | undefined
  kiss?: string[] | undefined
  'kiss-cmd'?: boolean | undefined
  'kiss-pace'?: string | undefined
  'no-pacing'?: boolean | undefined
  pace?: string | undefined
  'duty-cycle'?: string | undefined
  sf?: string | undefined
  bw?: string | undefined
  iface?: string | undefined
  ttl?: string | undefined
}

const opt = <T>(v: string | undefined, f: (s: string) => T): T | undefined => (v === undefined ? undefined : f(v))

/** `n` if lo ≤ n ≤ hi; else the usage error (values the faces would reject as internal errors). */
function inRange(n: number, name: string, given: string, lo: number, hi: number): number {
  if (n < lo || n > hi) {
    const range = hi === Infinity ? (lo > 0 ? '> 0' : `≥ ${lo}`) : `${lo}..${hi}`
    throw new CliError('CLI_USAGE', `--${name} expects ${range}, got "${given}"`)
  }
  return n
}

export function faceSpecs(v: FaceValues): FaceSpecs {
  // the addresses too are checked here, before a command opens its data directory or any face
  for (const m of v.mc ?? []) hostPort(m, '--mc')
  for (const u of v.udp ?? []) hostPort(u, '--udp')
  for (const l of v['udp-listen'] ?? []) portArg(l, '--udp-listen')
  return {
    mc: v.mc,
    udp: v.udp,
    udpListen: v['udp-listen'],
    kiss: v.kiss,
    iface: v.iface,
    ttl: opt(v.ttl, (s) => inRange(intOption(s, 'ttl', 0), 'ttl', s, 0, 255)),
    paceMs: opt(v.pace, (s) => numberOption(s, 'pace', 0)),
    kissPaceMs: opt(v['kiss-pace'], (s) => numberOption(s, 'kiss-pace', 0)),
    noPacing: v['no-pacing'],
    dutyCycle: opt(v['duty-cycle'], (s) => {
      const p = numberOption(s, 'duty-cycle', 100)
      if (p <= 0 || p > 100) throw new CliError('CLI_USAGE', `--duty-cycle expects a percentage in (0, 100], got "${s}"`)
      return p
    }),
    sf: opt(v.sf, (s) => inRange(intOption(s, 'sf', 7, 6), 'sf', s, 6, 12)),
    bwKhz: opt(v.bw, (s) => inRange(numberOption(s, 'bw', 250), 'bw', s, Number.MIN_VALUE, Infinity)),
    kissCommandByte: v['kiss-cmd'] ? 0 : undefined,
  }
}
