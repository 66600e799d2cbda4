// Faces from command-line specs: --mc GROUP/PORT, --udp HOST/PORT, --udp-listen PORT, --kiss DEV,
// with pacing (--pace, --kiss-pace, --no-pacing) and a duty-cycle budget (--duty-cycle).
import type { Face } from '@tinyssb/core'
import { DEFAULT_MULTICAST_GROUP, DEFAULT_MULTICAST_PORT, udpMulticastFace, udpUnicastFace } from '@tinyssb/face-udp'
import { KISS_PACING, LORA_AIRTIME_DEFAULTS, loraAirtimeMs, pacedFace, type PacedFaceOptions } from '@tinyssb/pacing'
import { CliError } from './errors.js'

export interface FaceSpecs {
  mc?: string[] | undefined
  udp?: string[] | undefined
  udpListen?: string[] | undefined
  kiss?: string[] | undefined
  /** Multicast interface address (e.g. 127.0.0.1 to stay on this machine). */
  iface?: string | undefined
  ttl?: number | undefined
  /** Minimum gap in ms between frames on every UDP face (default: none). */
  paceMs?: number | undefined
  /** Minimum gap in ms between frames on KISS faces (default: KISS_PACING of @tinyssb/pacing, like the original). */
  kissPaceMs?: number | undefined
  /** No pacing on KISS faces. */
  noPacing?: boolean | undefined
  /** Duty-cycle budget in percent for every paced face, with a LoRa airtime estimate per frame. */
  dutyCycle?: number | undefined
  /** LoRa spreading factor and bandwidth (kHz) for the airtime estimate. */
  sf?: number | undefined
  bwKhz?: number | undefined
  /** Add the standard KISS command byte (stock TNCs, RNodes). */
  kissCommandByte?: number | undefined
}

/** "224.1.1.1/5000" or "127.0.0.1:5000" → host and port. */
export function hostPort(spec: string, flag: string): { host: string; port: number } {
  const m = /^(.+)[/:](\d+)$/.exec(spec)
  const port = m ? Number(m[2]) : Number.NaN
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliError('CLI_USAGE', `${flag} expects HOST/PORT (e.g. 224.1.1.1/5000), got "${spec}"`)
  }
  return { host: m[1]!, port }
}

/** A UDP port number. */
export function portArg(spec: string, flag: string): number {
  const p = Number(spec)
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new CliError('CLI_USAGE', `${flag} expects a port 1..65535, got "${spec}"`)
  return p
}

/** The largest LoRa payload. */
const LORA_MAX_BYTES = 255

function pacing(s: FaceSpecs, gapMs: number | undefined, jitterMs: number): PacedFaceOptions | undefined {
  if (gapMs === undefined && s.dutyCycle === undefined) return undefined
  const lora = { sf: s.sf ?? LORA_AIRTIME_DEFAULTS.sf, bwHz: s.bwKhz !== undefined ? s.bwKhz * 1000 : LORA_AIRTIME_DEFAULTS.bwHz }
  // A LoRa frame carries at most 255 bytes; a larger frame (a UDP face's WANT asking for a whole
  // window is ~1.2 kB) is counted as the LoRa frames it would take. loraAirtimeMs throws above 255,
  // and the paced face then dropped every such frame, so a consumer with --duty-cycle never got anywhere.
  const estimateMs = (n: number): number => {
    let ms = loraAirtimeMs(Math.min(n, LORA_MAX_BYTES), lora)
    for (let left = n - LORA_MAX_BYTES; left > 0; left -= LORA_MAX_BYTES) ms += loraAirtimeMs(Math.min(left, LORA_MAX_BYTES), lora)
    return ms
  }
  const airtime = s.dutyCycle === undefined ? undefined : { budget: s.dutyCycle / 100, estimateMs }
  return { minGapMs: gapMs ?? 0, jitterMs, ...(airtime ? { airtime } : {}) }
}

/** Opens every face given; multicast DEFAULT_MULTICAST_GROUP/PORT (224.1.1.1/5000) when none is (like the original). */
export async function openFaces(s: FaceSpecs): Promise<Face[]> {
  const faces: Face[] = []
  // face-kiss is loaded only for --kiss (and serialport only when a serial face opens); pacing
  // any face comes from @tinyssb/pacing
  const kiss = (s.kiss?.length ?? 0) > 0 ? await import('@tinyssb/face-kiss') : undefined
  try {
    const mcs = s.mc ?? []
    const none = mcs.length + (s.udp?.length ?? 0) + (s.udpListen?.length ?? 0) + (s.kiss?.length ?? 0) === 0
    const udp: Face[] = []
    for (const m of none ? [`${DEFAULT_MULTICAST_GROUP}/${DEFAULT_MULTICAST_PORT}`] : mcs) {
      const { host, port } = hostPort(m, '--mc')
      udp.push(await udpMulticastFace({ group: host, port, ...(s.iface ? { iface: s.iface } : {}), ...(s.ttl !== undefined ? { ttl: s.ttl } : {}) }))
    }
    for (const u of s.udp ?? []) {
      const { host, port } = hostPort(u, '--udp')
      udp.push(await udpUnicastFace({ host, port }))
    }
    for (const l of s.udpListen ?? []) udp.push(await udpUnicastFace({ localPort: portArg(l, '--udp-listen') }))
    const udpPacing = pacing(s, s.paceMs, 0)
    for (const f of udp) faces.push(udpPacing ? pacedFace(f, udpPacing) : f)
    for (const dev of s.kiss ?? []) {
      const k = kiss!
      const p = s.noPacing ? false : (pacing(s, s.kissPaceMs ?? KISS_PACING.minGapMs, KISS_PACING.jitterMs ?? 0) ?? KISS_PACING)
      faces.push(await k.kissFace({ path: dev, pacing: p, ...(s.kissCommandByte !== undefined ? { commandByte: s.kissCommandByte } : {}) }))
    }
  } catch (err) {
    await Promise.allSettled(faces.map((f) => f.close()))
    throw err
  }
  return faces
}
