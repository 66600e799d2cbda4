// `tinyssb bridge`: what the tinySSB LoRa bridge (ESP32) does, in software — every frame received on
// one face is flooded to all the others. With --udp-listen the UDP side learns its client from the
// client's first frame, like the bridge's Wi-Fi side, so a KISS setup can be tried without hardware.
import type { Face } from '@tinyssb/core'
import { numberOption } from '../args.js'
import { defineCommand } from '../command.js'
import { FACE_FLAGS, faceSpecs } from '../face-args.js'
import { openFaces } from '../faces.js'
import { TIMEOUT_FLAG } from '../flags.js'
import { logger } from '../logger.js'
import { untilSignal } from '../signals.js'

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

export const bridgeCommand = defineCommand({
  flags: { timeout: TIMEOUT_FLAG, verbose: { type: 'boolean', help: 'log every frame received' }, ...FACE_FLAGS },
  description: [
    'Floods every frame received on one face to all the others, like the tinySSB LoRa bridge (ESP32). Give at\n' +
      'least two faces; with --udp-listen the UDP side learns its client from the first frame, like the bridge\'s Wi-Fi.',
  ],
  examples: ['tinyssb bridge --udp-listen 5001 --kiss /dev/ttyUSB0', 'tinyssb bridge --udp 127.0.0.1/5001 --kiss /tmp/ttyA'],
  async run({ values: v }, io) {
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
  },
})
