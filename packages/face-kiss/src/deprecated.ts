// Pacing and LoRa airtime moved to @tinyssb/pacing (no native dependencies, usable by any face and
// by the simulator). These re-exports keep old imports working for one release.
import * as pacing from '@tinyssb/pacing'


/** @deprecated Import `KISS_PACING` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export const KISS_PACING = pacing.KISS_PACING
/** @deprecated Import `LORA_PACING` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export const LORA_PACING = pacing.LORA_PACING
/** @deprecated Import `PACED_QUEUE_MAX` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export const PACED_QUEUE_MAX = pacing.PACED_QUEUE_MAX
/** @deprecated Import `AIRTIME_WINDOW_MS` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export const AIRTIME_WINDOW_MS = pacing.AIRTIME_WINDOW_MS
/** @deprecated Import `defaultPriority` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export const defaultPriority = pacing.defaultPriority
/** @deprecated Import `pacedFace` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export const pacedFace = pacing.pacedFace
/** @deprecated Import `loraAirtimeMs` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export const loraAirtimeMs = pacing.loraAirtimeMs
/** @deprecated Import `PacingOptions` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export type PacingOptions = pacing.PacingOptions
/** @deprecated Import `AirtimeBudget` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export type AirtimeBudget = pacing.AirtimeBudget
/** @deprecated Import `PacedFaceOptions` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export type PacedFaceOptions = pacing.PacedFaceOptions
/** @deprecated Import `PacedDropReason` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export type PacedDropReason = pacing.PacedDropReason
/** @deprecated Import `PacedFaceStats` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export type PacedFaceStats = pacing.PacedFaceStats
/** @deprecated Import `PacedFace` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export type PacedFace = pacing.PacedFace
/** @deprecated Import `LoraAirtimeOptions` from `@tinyssb/pacing`; this re-export goes away in the next release. */
export type LoraAirtimeOptions = pacing.LoraAirtimeOptions
