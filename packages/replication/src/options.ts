// Options of a node, with the defaults of the original demo where it has one.
import type { Clock, Face, Random } from '@tinyssb/core'
import type { BlobStore, LogStore } from '@tinyssb/packet'

/** Periodic ARQ: a replica asks again at least this often (the original: 10 s). */
export const WANT_INTERVAL_MS = 10_000
/**
 * Records in a WANT of a replica at the live edge: front+1 like the original, plus one more, so a
 * peer with a backlog answers with two entries at once and the replica switches to want-ahead.
 */
export const LIVE_WANT_RECORDS = 2
/** First retransmission timeout after progress; doubles while nothing comes, up to WANT_INTERVAL_MS. */
export const RETRY_MIN_MS = 1_000
/** Entries asked for ahead of the front (want-ahead window), before MTU limits. */
export const WANT_WINDOW = 128
/**
 * Largest WANT frame on a face with a large MTU (UDP): 6 records, 223 bytes. The Python reference
 * reads UDP datagrams with recvfrom(250) and would silently cut longer WANTs.
 */
export const WANT_BYTES = 223
/**
 * Faces whose MTU is at most this are LoRa-sized links (KISS to a LoRa bridge): their WANTs fit one
 * 120-byte LoRa frame (3 records), and a round asks with one frame only (airtime is precious).
 */
export const SMALL_FACE_MTU = 256
export const SMALL_FACE_WANT_BYTES = 120
/** Frames waiting for processing; more are dropped (INBOX_FULL). Protects against floods. */
export const MAX_INBOX = 2_048
/** 120-byte frames that matched nothing, kept in case their DMX/blob expectation appears soon (reordering). */
export const PARKING_SLOTS = 256
/** Entries appended in one store write when parked frames continue the chain. */
export const MAX_CHAIN_BATCH = 64
/** Records of one WANT we look at; the rest is ignored (a 1400-byte frame holds 38). */
export const MAX_WANT_RECORDS = 64
/** Served frames per second and face (token bucket), and the burst. */
export const SERVE_RATE = 10_000
export const SERVE_BURST = 256
/** The same entry is not sent twice on one face within this time (several peers asking at once). */
export const SERVE_DEDUP_MS = 200
/** Blob pointers a node waits for at once; the oldest expectation is given up beyond. */
export const MAX_EXPECTED_BLOBS = 4_096
/** Blobs sent after a served chain20 entry ("chained credit" of the spec's future blob request). */
export const MAX_BLOBS_PER_ENTRY = 16

/** What a host hands to {@link createNode}. */
export interface NodeOptions {
  /** Logs: replicas of other feeds and the node's own feeds. Must verify appends (LogStore contract). */
  readonly logs: LogStore
  /** Sidechain blobs; without it, chain20 entries replicate without their blobs. */
  readonly blobs?: BlobStore
  readonly faces: readonly Face[]
  /** Default: the system clock. */
  readonly clock?: Clock
  /** Randomness for timer jitter, in [0, 1). Default: the host's (systemRandom). */
  readonly random?: Random
  /** Feeds this node writes itself: served, never asked for. */
  readonly ownFeeds?: readonly Uint8Array[]
  /** Replicate every log of the store that is not an own feed (default true). */
  readonly replicateAll?: boolean
  readonly wantIntervalMs?: number
  readonly retryMinMs?: number
  /** Want-ahead window on large-MTU faces; 1 = the original's stop-and-wait. LoRa-sized faces ask for one frame's worth. */
  readonly window?: number
  /**
   * Largest WANT frame, in bytes (default WANT_BYTES on large-MTU faces, SMALL_FACE_WANT_BYTES on
   * LoRa-sized ones). Raise it (up to the face MTU) when every peer is tinyssb-ts: fewer WANT frames.
   */
  readonly wantBytes?: number
  readonly serveRate?: number
  readonly serveBurst?: number
}
