// Defaults and bounds of the extensions (docs/extensions.md): blob requests and front hints.
import type { BlobRetryOptions } from '@tinyssb/packet'

/**
 * After a chain20 entry is appended, its blobs normally follow at once (a WANT answer or a publish
 * sends them right after the entry): the node asks for what is still missing only this long after.
 */
export const BLOB_REQUEST_GRACE_MS = 1_000
/**
 * Incomplete sidechains a node tracks at once (the blob request retry's outstanding pointers).
 * Chain20 entries found beyond it (start-up scan) wait until tracked chains complete.
 */
export const MAX_TRACKED_CHAINS = 1_024
/** Chain20 entries waiting for their grace period at once; beyond, the oldest is checked early. */
export const MAX_FRESH_CHAINS = 8_192
/** A chain whose requests were given up (after the retry's attempts) is asked for again this long after. */
export const BLOB_STALLED_RETRY_MS = 60_000
/** Entries the start-up scan for incomplete sidechains reads before it yields to the clock. */
export const BLOB_SCAN_STEP = 256
/** A node sends a front hint for a feed at most this often to one peer on one face (on a broadcast face: on the face). */
export const HINT_INTERVAL_MS = 10_000
/** A received front hint not settled within this time is forgotten. */
export const HINT_TTL_MS = 60_000
/** Peers whose hints are kept per feed (one hint each, the latest). */
export const HINT_PEERS_PER_FEED = 4
/** Feeds with hint and progress state (least recently used forgotten beyond). */
export const MAX_PROGRESS_FEEDS = 4_096
/** After a contradicted hint, the hints of that peer for that feed are ignored this long. */
export const HINT_BAN_MS = 60_000
/** A `progress` event per feed at most this often (and when the front reaches the hinted seq). */
export const PROGRESS_INTERVAL_MS = 250
/** Entries per second are measured over this window. */
export const PROGRESS_RATE_WINDOW_MS = 5_000
/** 'own-feed-behind' for one feed is emitted again at most this often (unless a larger seq shows up). */
export const OWN_FEED_SIGNAL_MS = 10_000

/** How a node asks for missing sidechain blobs ({@link NodeOptions.blobRequests}). */
export interface BlobRequestOptions {
  /** Wait after a chain20 entry is appended before asking for its missing blobs (default BLOB_REQUEST_GRACE_MS). */
  readonly graceMs?: number
  /** Look for incomplete sidechains of the held logs after start (default true; in the background, paced). */
  readonly scan?: boolean
  /** Incomplete sidechains tracked at once (default MAX_TRACKED_CHAINS); beyond, a feed is scanned again later. */
  readonly maxChains?: number
  /** Backoff and bounds of the retries (BlobRequestRetry's options; jitter comes from the node's random). */
  readonly retry?: Omit<BlobRetryOptions, 'random'>
}
