/**
 * @tinyssb/face-kiss — the tinySSB serial KISS face (Node, serialport) for LoRa bridges and KISS
 * TNCs, pacing for any face, and LoRa airtime. The KISS codec is pure and also in the
 * `@tinyssb/face-kiss/codec` subpath.
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
} from './paced-face.js'
export { type LoraAirtimeOptions, loraAirtimeMs } from './lora-airtime.js'
export { FaceError, type FaceErrorCode } from './errors.js'
export { KISS_BAUD_RATE, type KissFaceOptions, type KissFaceStats, type KissFace, kissFace } from './serial-face.js'
