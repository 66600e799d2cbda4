/**
 * @tinyssb/face-kiss — the tinySSB serial KISS face (Node, serialport) for LoRa bridges and KISS
 * TNCs. The KISS codec is pure and also in the `@tinyssb/face-kiss/codec` subpath. Pacing and
 * LoRa airtime live in @tinyssb/pacing (re-exported here, deprecated, for one release).
 * @packageDocumentation
 */
export {
  FEND,
  FESC,
  TFEND,
  TFESC,
  KISS_MAX_FRAME_BYTES,
  KISS_DROP_REASONS,
  type KissEncodeOptions,
  type KissDropReason,
  type KissDecoderOptions,
  type KissDecoderStats,
  kissEncode,
  KissDecoder,
  kissDecoder,
} from './kiss-codec.js'
// Deprecated: pacing and airtime moved to @tinyssb/pacing; re-exported for one release.
export {
  KISS_PACING,
  LORA_PACING,
  PACED_QUEUE_MAX,
  AIRTIME_WINDOW_MS,
  type PacingOptions,
  type AirtimeBudget,
  type PacedFaceOptions,
  type PacedDropReason,
  type PacedFaceStats,
  type PacedFace,
  defaultPriority,
  pacedFace,
  type LoraAirtimeOptions,
  loraAirtimeMs,
} from './deprecated.js'
export { FaceError, type FaceErrorCode } from './errors.js'
export { KISS_BAUD_RATE, type KissFaceOptions, type KissFaceStats, type KissFace, kissFace } from './serial-face.js'
