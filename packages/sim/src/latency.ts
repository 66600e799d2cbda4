// Latency draws in milliseconds, from the stream of the (medium, receiver) pair.
import type { Random } from '@tinyssb/core'
import { loraAirtimeMs } from './pacing.js'
import type { Latency } from './scenario.js'

/** The on-air time of a frame on a LoRa medium, ms; undefined for other latency models. */
export function airtimeMs(l: Latency, bytes: number): number | undefined {
  if (l.kind !== 'lora') return undefined
  return loraAirtimeMs(Math.min(bytes, 255), { sf: l.sf, bwHz: l.bwHz, cr: l.cr })
}

/** One latency draw, ms (LoRa: the airtime of the frame, no draw). */
export function drawLatencyMs(l: Latency, bytes: number, random: Random, tickMs: number): number {
  switch (l.kind) {
    case 'constant':
      return l.ticks * tickMs
    case 'uniform': {
      const span = l.max - l.min
      if (Number.isInteger(l.min) && Number.isInteger(l.max)) return (l.min + Math.floor(random() * (span + 1))) * tickMs
      return (l.min + random() * span) * tickMs
    }
    case 'normal': {
      // Box–Muller; 1 − u keeps the logarithm finite
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
      return Math.max(0, l.mean + l.sd * z) * tickMs
    }
    case 'lora':
      return airtimeMs(l, bytes)!
  }
}
