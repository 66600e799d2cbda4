/**
 * @tinyssb/pacing — pacing for any tinyssb-ts face: a minimum gap with random jitter between
 * frames, a bounded queue that drops the least useful frame first, an optional duty-cycle (airtime)
 * budget over a sliding window, and LoRa time on air. Depends only on @tinyssb/core: no native
 * modules, no Node imports; time and randomness come from the Clock and Random handed in, so it
 * runs under real time, a fake clock or a simulator.
 * @packageDocumentation
 */
export {
  KISS_PACING,
  LORA_PACING,
  PACED_QUEUE_MAX,
  type PacingOptions,
  type PacedFaceOptions,
  type PacedDropReason,
  type PacedFaceStats,
  type PacedFace,
  defaultPriority,
  pacedFace,
} from './paced-face.js'
export { AIRTIME_WINDOW_MS, type AirtimeBudget } from './airtime.js'
export { type LoraAirtimeOptions, LORA_AIRTIME_DEFAULTS, loraAirtimeMs } from './lora-airtime.js'
