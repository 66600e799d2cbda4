// Per-face settings: what kind of link a face is, how big its WANTs are, how far it asks ahead and
// how much it serves. Given by the host (FaceOptions), else guessed from the MTU.
import type { Face } from '@tinyssb/core'
import { PACKET_BYTES, maxBundleEntries, maxWantRecords } from '@tinyssb/packet'
import {
  AMPLIFICATION,
  MAX_WANT_RECORDS,
  MAX_WINDOW,
  SERVE_BURST,
  SERVE_RATE,
  SMALL_FACE_AMPLIFICATION,
  SMALL_FACE_MTU,
  SMALL_FACE_WANT_BURST,
  SMALL_FACE_WANT_BYTES,
  SMALL_FACE_WANT_RATE,
  WANT_BURST,
  WANT_BYTES,
  WANT_PAD_HINT_BYTES,
  WANT_RATE,
  WANT_WINDOW,
  type FaceKind,
  type FaceOptions,
  type NodeOptions,
} from './options.js'

/** A face with its settings resolved. */
export interface FaceProfile {
  readonly face: Face
  readonly kind: FaceKind
  /** Records per WANT frame on this face (0: no WANT fits its MTU). */
  readonly records: number
  /** Records per WANT frame while every peer heard on the face is a tinyssb-ts node (≥ records; peer-kinds.ts). */
  readonly largeRecords: number
  /** Entries asked for ahead of the front in one want-ahead round. */
  readonly window: number
  readonly serveRate: number
  readonly serveBurst: number
  /** WANT records sent per second on this face (a token bucket), and the burst. */
  readonly wantRate: number
  readonly wantBurst: number
  /** The amplification bound applied to the peers of this face (CreditLedger). */
  readonly amplification: number
  /**
   * The bound this node's requests on this face pay for by padding (padding.ts), or Infinity: no
   * padding ('lora' faces, or the bound turned off).
   */
  readonly padFor: number
  /** Entries per bundle on this face (its WANTs ask for bundles, and it may answer with them), or 0: no bundles. */
  readonly bundleEntries: number
}

/**
 * The documented default kind of a face that does not say: 'lora' when its MTU is at most
 * SMALL_FACE_MTU (256: a KISS link to a LoRa bridge), 'udp' otherwise.
 */
export function guessFaceKind(face: Face): FaceKind {
  return face.mtu <= SMALL_FACE_MTU ? 'lora' : 'udp'
}

function isFaceOptions(f: Face | FaceOptions): f is FaceOptions {
  return 'face' in f && !('send' in f)
}

/** A want-ahead window as given, within 1 … MAX_WINDOW (answers to larger windows were lost in bursts: see MAX_WINDOW). */
function windowOf(w: number): number {
  return Math.min(MAX_WINDOW, Math.max(1, w))
}

/** Resolves the faces of {@link NodeOptions} to one profile each. */
export function resolveFaces(opts: NodeOptions): FaceProfile[] {
  const window = windowOf(opts.window ?? WANT_WINDOW)
  return opts.faces.map((f) => {
    const fo: FaceOptions = isFaceOptions(f) ? f : { face: f }
    const face = fo.face
    const kind = fo.kind ?? guessFaceKind(face)
    const wantBytes = Math.min(face.mtu, fo.wantBytes ?? opts.wantBytes ?? (kind === 'lora' ? SMALL_FACE_WANT_BYTES : WANT_BYTES))
    const amplification = Math.max(1, fo.amplification ?? opts.amplification ?? (kind === 'lora' ? SMALL_FACE_AMPLIFICATION : AMPLIFICATION))
    const padFor = kind === 'lora' ? Number.POSITIVE_INFINITY : amplification
    // a padded WANT takes 120 / padFor bytes per record: no more records than the MTU pays for
    const paid = Number.isFinite(padFor) ? Math.floor((face.mtu * padFor - WANT_PAD_HINT_BYTES) / PACKET_BYTES) : Number.POSITIVE_INFINITY
    const fit = (bytes: number): number => Math.max(0, Math.min(maxWantRecords(bytes), MAX_WANT_RECORDS, paid))
    const records = fit(wantBytes)
    // to tinyssb-ts peers alone: up to the MTU ('lora' faces keep one LoRa frame's worth)
    const largeBytes = Math.min(face.mtu, fo.tinyssbWantBytes ?? opts.tinyssbWantBytes ?? face.mtu)
    const largeRecords = kind === 'lora' || records === 0 ? records : Math.max(records, fit(largeBytes))
    const faceWindow = fo.window !== undefined ? windowOf(fo.window) : kind === 'lora' ? Math.max(1, Math.min(window, records)) : window
    return {
      face,
      kind,
      records,
      largeRecords,
      window: faceWindow,
      serveRate: fo.serveRate ?? opts.serveRate ?? SERVE_RATE,
      serveBurst: fo.serveBurst ?? opts.serveBurst ?? SERVE_BURST,
      wantRate: Math.max(1e-3, fo.wantRate ?? opts.wantRate ?? (kind === 'lora' ? SMALL_FACE_WANT_RATE : WANT_RATE)),
      wantBurst: Math.max(records, fo.wantBurst ?? opts.wantBurst ?? (kind === 'lora' ? SMALL_FACE_WANT_BURST : WANT_BURST)),
      amplification,
      padFor,
      bundleEntries: kind === 'udp' && (fo.bundles ?? opts.bundles ?? true) ? maxBundleEntries(face.mtu) : 0,
    }
  })
}
