// `tinyssb bridge`: what the tinySSB LoRa bridge (ESP32) does, in software — every frame received on
// one face is flooded to all the others. With --udp-listen the UDP side learns its client from the
// client's first frame, like the bridge's Wi-Fi side, so a KISS setup can be tried without hardware.
import type { Face } from '@tinyssb/core'
import { numberOption, parse } from '../args.js'
import { faceSpecs } from '../face-args.js'
import { FACE_OPTIONS, FACE_USAGE, openFaces } from '../faces.js'
import type { Io } from '../io.js'
import { logger } from '../logger.js'
import { untilSignal } from '../signals.js'

export const BRIDGE_USAGE = `tinyssb bridge [--timeout SEC] [--verbose] ${FACE_USAGE}`

/** Counters of a bridge: frames received per face and frames forwarded. */
export interface BridgeStats {
  readonly received: Record<string, number>
  forwarded: number
  failed: number
}

/** Floods every frame received on one face to every other face; returns the stop function. */
export function bridgeFaces(faces: readonly Face[], onFrame?: (frame: Uint8Array, from: Face) => void): { stats: BridgeStats; stop(): void } {
  const stats: BridgeStats = { received: {}, forwarded: 0, failed: 0 }
  const offs = faces.map((face) =>
    face.onFrame((frame) => {
      stats.received[face.name] = (stats.received[face.name] ?? 0) + 1
      onFrame?.(frame, face)
      for (const other of faces) {
        if (other === face || frame.length > other.mtu) continue
        stats.forwarded++
        other.send(frame).catch(() => stats.failed++)
      }
    }),
  )
  return { stats, stop: () => offs.forEach((off) => off()) }
}

export async function bridge(argv: string[], io: Io): Promise<number> {
  const { values: v } = parse(argv, { ...FACE_OPTIONS, timeout: { type: 'string' }, verbose: { type: 'boolean' } })
  const specs = faceSpecs(v)
  const timeout = v.timeout === undefined ? undefined : numberOption(v.timeout, 'timeout', 0)
  const log = logger(io)
  const faces = await openFaces(specs)
  for (const f of faces) io.out(`  face ${f.name} (mtu ${f.mtu})`)
  if (faces.length < 2) io.err('tinyssb: warning: a bridge with fewer than two faces forwards nothing')
  const b = bridgeFaces(faces, v.verbose ? (frame, from) => log('gray', `${from.name}: ${frame.length} bytes`) : undefined)
  log('green', `bridging ${faces.map((f) => f.name).join(' <-> ')}`)
  try {
    const why = await untilSignal(timeout).done
    log('gray', `${why}: stopping after ${b.stats.forwarded} forwarded frames`)
    return 0
  } finally {
    b.stop()
    await Promise.allSettled(faces.map((f) => f.close()))
  }
}
