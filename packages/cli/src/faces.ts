// Faces from command-line specs: --mc GROUP/PORT, --udp HOST/PORT, --udp-listen PORT, --kiss DEV.
import type { Face } from '@tinyssb/packet'
import { udpMulticastFace, udpUnicastFace } from '@tinyssb/face-udp'
import { CliError } from './errors.js'

export interface FaceSpecs {
  mc?: string[] | undefined
  udp?: string[] | undefined
  udpListen?: string[] | undefined
  kiss?: string[] | undefined
  iface?: string | undefined
  ttl?: number | undefined
  /** Pacing on KISS faces (default on, as the original's 0.5 s). */
  kissPacing?: boolean
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

function port(spec: string, flag: string): number {
  const p = Number(spec)
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new CliError('CLI_USAGE', `${flag} expects a port, got "${spec}"`)
  return p
}

/** Opens every face given; multicast 224.1.1.1/5000 when none is (like the original). */
export async function openFaces(s: FaceSpecs): Promise<Face[]> {
  const faces: Face[] = []
  try {
    const mcs = s.mc ?? []
    const none = mcs.length + (s.udp?.length ?? 0) + (s.udpListen?.length ?? 0) + (s.kiss?.length ?? 0) === 0
    for (const m of none ? ['224.1.1.1/5000'] : mcs) {
      const { host, port } = hostPort(m, '--mc')
      faces.push(await udpMulticastFace({ group: host, port, ...(s.iface ? { iface: s.iface } : {}), ...(s.ttl !== undefined ? { ttl: s.ttl } : {}) }))
    }
    for (const u of s.udp ?? []) {
      const { host, port } = hostPort(u, '--udp')
      faces.push(await udpUnicastFace({ host, port }))
    }
    for (const l of s.udpListen ?? []) faces.push(await udpUnicastFace({ localPort: port(l, '--udp-listen') }))
    if (s.kiss?.length) {
      const kiss = await import('@tinyssb/face-kiss')
      for (const dev of s.kiss) {
        faces.push(
          await kiss.kissFace({
            path: dev,
            ...(s.kissPacing === false ? { pacing: false as const } : {}),
            ...(s.kissCommandByte !== undefined ? { commandByte: s.kissCommandByte } : {}),
          }),
        )
      }
    }
  } catch (err) {
    await Promise.allSettled(faces.map((f) => f.close()))
    throw err
  }
  return faces
}
