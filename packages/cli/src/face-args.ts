// The face flags of prodcons and bridge (with their help lines), and their values → FaceSpecs, with
// every check done before a command opens its data directory or any face.
import { isIPv4 } from 'node:net'
import { networkInterfaces } from 'node:os'
import { DEFAULT_MULTICAST_GROUP, DEFAULT_MULTICAST_PORT, DEFAULT_MULTICAST_TTL } from '@tinyssb/face-udp'
import { KISS_PACING, LORA_AIRTIME_DEFAULTS } from '@tinyssb/pacing'
import { intOption, numberOption } from './args.js'
import type { Flag } from './command.js'
import { CliError } from './errors.js'
import { hostPort, portArg, type FaceSpecs } from './faces.js'

/** The face flags every networking command takes. */
export const FACE_FLAGS = {
  mc: {
    type: 'string',
    multiple: true,
    arg: 'GROUP/PORT',
    help: 'UDP multicast on an IPv4 multicast group (224.0.0.0–239.255.255.255)',
    shownDefault: `${DEFAULT_MULTICAST_GROUP}/${DEFAULT_MULTICAST_PORT} when no face is given`,
  },
  udp: { type: 'string', multiple: true, arg: 'HOST/PORT', help: 'UDP unicast to a peer (e.g. the LoRa bridge\'s 192.168.4.1/5001)' },
  'udp-listen': { type: 'string', multiple: true, arg: 'PORT', help: 'UDP unicast that learns its peer from the first frame received' },
  kiss: { type: 'string', multiple: true, arg: 'DEV', help: 'a serial KISS device at 115200 baud (e.g. /dev/ttyUSB0)' },
  'kiss-cmd': { type: 'boolean', help: 'add the KISS command byte 00 after FEND (stock KISS TNCs, RNodes)' },
  'kiss-pace': { type: 'string', arg: 'MS', help: 'minimum gap between frames on KISS faces', shownDefault: `${KISS_PACING.minGapMs} + up to ${KISS_PACING.jitterMs ?? 0} jitter, as the original` },
  'no-pacing': { type: 'boolean', help: 'no pacing on KISS faces' },
  pace: { type: 'string', arg: 'MS', help: 'minimum gap between frames on UDP faces', shownDefault: 'none' },
  'duty-cycle': { type: 'string', arg: 'PCT', help: 'an airtime budget of PCT % (0 < PCT ≤ 100) per hour on every paced face', shownDefault: 'none' },
  sf: { type: 'string', arg: 'N', help: 'LoRa spreading factor (6..12) of the --duty-cycle airtime estimate', shownDefault: String(LORA_AIRTIME_DEFAULTS.sf) },
  bw: { type: 'string', arg: 'KHZ', help: 'LoRa bandwidth in kHz of the --duty-cycle airtime estimate', shownDefault: String(LORA_AIRTIME_DEFAULTS.bwHz / 1000) },
  iface: { type: 'string', arg: 'ADDR', help: 'the IPv4 address of the interface for multicast (127.0.0.1 stays on this machine)', shownDefault: 'the default interface' },
  ttl: { type: 'string', arg: 'N', help: 'multicast TTL, 0..255', shownDefault: String(DEFAULT_MULTICAST_TTL) },
} as const satisfies Record<string, Flag>

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

/** `--mc GROUP/PORT`: the group must be an IPv4 multicast address. */
export function mcGroupPort(spec: string): { host: string; port: number } {
  const hp = hostPort(spec, '--mc')
  const first = Number(hp.host.split('.')[0])
  if (!isIPv4(hp.host) || first < 224 || first > 239) {
    throw new CliError('CLI_USAGE', `--mc expects GROUP/PORT with an IPv4 multicast group (224.0.0.0–239.255.255.255), got "${spec}"`)
  }
  return hp
}

/** `--udp HOST/PORT`: an IPv4 address or a host name. */
function udpHostPort(spec: string): void {
  const { host } = hostPort(spec, '--udp')
  if (!isIPv4(host) && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) {
    throw new CliError('CLI_USAGE', `--udp expects HOST/PORT with an IPv4 address or a host name, got "${spec}"`)
  }
}

/** The IPv4 addresses of this machine's interfaces. */
export function localIPv4Addresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4')
    .map((a) => a.address)
}

/** `--iface ADDR`: an IPv4 address of an interface of this machine (or 0.0.0.0, any). */
export function ifaceArg(addr: string, local: readonly string[] = localIPv4Addresses()): string {
  if (!isIPv4(addr)) throw new CliError('CLI_USAGE', `--iface expects the IPv4 address of a network interface (e.g. 127.0.0.1), got "${addr}"`)
  if (addr !== '0.0.0.0' && !local.includes(addr)) {
    throw new CliError('CLI_USAGE', `--iface ${addr}: no network interface of this machine has this address (it has ${local.join(', ') || 'none'})`)
  }
  return addr
}

export function faceSpecs(v: FaceValues): FaceSpecs {
  // the addresses too are checked here, before a command opens its data directory or any face
  for (const m of v.mc ?? []) mcGroupPort(m)
  for (const u of v.udp ?? []) udpHostPort(u)
  for (const l of v['udp-listen'] ?? []) portArg(l, '--udp-listen')
  const none = (v.mc?.length ?? 0) + (v.udp?.length ?? 0) + (v['udp-listen']?.length ?? 0) + (v.kiss?.length ?? 0) === 0
  return {
    // without a face: the original's multicast group
    mc: none ? [`${DEFAULT_MULTICAST_GROUP}/${DEFAULT_MULTICAST_PORT}`] : v.mc,
    udp: v.udp,
    udpListen: v['udp-listen'],
    kiss: v.kiss,
    iface: opt(v.iface, (s) => ifaceArg(s)),
    ttl: opt(v.ttl, (s) => inRange(intOption(s, 'ttl', 0), 'ttl', s, 0, 255)),
    paceMs: opt(v.pace, (s) => numberOption(s, 'pace', 0)),
    kissPaceMs: opt(v['kiss-pace'], (s) => numberOption(s, 'kiss-pace', 0)),
    noPacing: v['no-pacing'],
    dutyCycle: opt(v['duty-cycle'], (s) => {
      const p = numberOption(s, 'duty-cycle', 100)
      if (p <= 0 || p > 100) throw new CliError('CLI_USAGE', `--duty-cycle expects a percentage in (0, 100], got "${s}"`)
      return p
    }),
    sf: opt(v.sf, (s) => inRange(intOption(s, 'sf', LORA_AIRTIME_DEFAULTS.sf, 6), 'sf', s, 6, 12)),
    bwKhz: opt(v.bw, (s) => inRange(numberOption(s, 'bw', LORA_AIRTIME_DEFAULTS.bwHz / 1000), 'bw', s, Number.MIN_VALUE, Infinity)),
    kissCommandByte: v['kiss-cmd'] ? 0 : undefined,
  }
}
