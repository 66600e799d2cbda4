// Options of a node, with the defaults of the original demo where it has one.
import type { Clock, Face, Random } from '@tinyssb/core'
import type { BlobStore, LogStore, VerifyItem } from '@tinyssb/packet'
import type { BlobRequestOptions } from './extension-options.js'

/** Periodic ARQ: a replica asks again at least this often (the original: 10 s). */
export const WANT_INTERVAL_MS = 10_000
/**
 * Records in a WANT of a replica at the live edge: front+1 like the original, plus one more, so a
 * peer with a backlog answers with two entries at once and the replica switches to want-ahead.
 */
export const LIVE_WANT_RECORDS = 2
/**
 * The retransmission timeout before a round trip was measured (then it is measured: see
 * RTO_MIN_MS); a silent replica backs off from it, doubling up to WANT_INTERVAL_MS. At the live
 * edge, two entries within it show a backlog.
 */
export const RETRY_MIN_MS = 1_000
/**
 * Floor of the measured retransmission timeout. Above SERVE_DEDUP_MS: a serving node ignores a
 * request for an entry it sent that peer less than that long ago, so asking again sooner is futile.
 */
export const RTO_MIN_MS = 250
/**
 * Rounds in a row without any answer (each a doubled probe of the replica's next entries) before a
 * catch-up is declared over ('caught-up'). With 30 % loss a round is silent by chance about 9 % of
 * the time, three in a row about 0.1 %.
 */
export const SILENT_ROUNDS = 4
/**
 * Times an outstanding entry other than the next one is asked for in the timer's repair rounds.
 * An answer that arrived before its predecessor waits unseen in the parking lot, so asking again
 * costs an answer when it did arrive; past this, only the replica's next entry is asked again.
 */
export const MAX_ASKS = 2
/**
 * Copies of the record of a replica's next entry when it is asked again (each copy in its own
 * frame): the serving node answers once (de-duplication), and one lost WANT no longer costs a round.
 */
export const HEAD_COPIES = 2
/**
 * Copies (each in its own frame) of the records a repair asks for again: a serving node answers a
 * record once however often it hears it within its de-duplication window, so a copy costs a WANT
 * frame, not an answer, and a lost WANT no longer costs a round.
 */
export const REPAIR_COPIES = 2
/** Copies of a silence probe (in separate frames) once a catch-up delivered: a lost WANT must not end it. */
export const PROBE_COPIES = 3
/** Silent rounds of a catch-up that delivered before its timer backs off: a lost answer is likelier than a gone peer. */
export const BACKOFF_AFTER = 1
/** Entries asked for ahead of the front (want-ahead window), before MTU limits. */
export const WANT_WINDOW = 128
/**
 * Largest WANT frame on a face with a large MTU (UDP): 6 records, 223 bytes, before padding (to
 * 261 bytes, see AMPLIFICATION). The Python reference reads UDP datagrams with recvfrom(250) and
 * would silently cut longer WANTs (of a padded one it cuts zeros only).
 */
export const WANT_BYTES = 223
/**
 * A peer heard on a face within this time counts for the WANT size there: while every one of them
 * sent a front hint (tinyssb-ts nodes only), WANTs on a 'udp' face may take up to the face's MTU
 * ({@link NodeOptions.tinyssbWantBytes}); the Python original sends a WANT at least every 10 s.
 */
export const PEER_KIND_MS = 60_000
/**
 * The default guess of a face's kind: a face whose MTU is at most this is a 'lora' face (KISS to a
 * LoRa bridge): its WANTs fit one 120-byte LoRa frame (3 records), and a round asks with one frame
 * only (airtime is precious). Give `kind` in {@link FaceOptions} instead of relying on the guess.
 */
export const SMALL_FACE_MTU = 256
export const SMALL_FACE_WANT_BYTES = 120
/** Frames waiting for processing; more are dropped (INBOX_FULL). Protects against floods. */
export const MAX_INBOX = 2_048
/** 120-byte frames that matched nothing, kept in case their DMX/blob expectation appears soon (reordering). */
export const PARKING_SLOTS = 256
/**
 * The largest want-ahead window (NodeOptions.window, FaceOptions.window). Without entry bundles (a
 * Python peer on the face, or WANTs too full for the bundle marker) the answers to a window come one
 * per datagram, in a burst: with the socket's default receive buffer (Linux: ~200 small datagrams)
 * windows of 240 and 256 lost dozens of them over loopback multicast, and the answers behind the
 * holes overflowed the parking lot (thousands of NO_DMX evictions asked again: 800–3 600 entries/s
 * instead of ~14 000); 224 and below lost none. The UDP faces now ask for a larger buffer
 * (face-udp RECV_BUFFER_BYTES; 256 then lost none either); this cap keeps a margin where the
 * system grants less.
 */
export const MAX_WINDOW = 192
/**
 * Want-ahead shared by the replicas catching up at once, per face: each asks at most an even part
 * of it ahead (at least {@link MIN_SHARED_WINDOW}, at most its window). 64 feeds caught up from one
 * peer with a 128-entry window each had ~8 000 answers in flight: they overflowed the UDP socket's
 * receive buffer, and the answers behind the holes the parking lot (NO_DMX, asked again): 0.5× one
 * feed's rate. 4 × 128 in flight was fine; 64 × 8 caught up at ~15 000 entries/s, 64 × 4 at ~11 000
 * (bench/feeds-catchup.mjs, loopback UDP).
 */
export const SHARED_WANT_AHEAD = 512
/** The least want-ahead a replica keeps when many catch up at once (see {@link SHARED_WANT_AHEAD}). */
export const MIN_SHARED_WINDOW = 8
/**
 * A source (face and peer) that delivered a valid entry or an expected blob within this time is
 * useful: its frames that match nothing yet outrank others in the parking lot (they are likely
 * answers), so garbage from elsewhere cannot evict them.
 */
export const USEFUL_SOURCE_MS = 60_000
/**
 * A source whose frames matched nothing this many times since it was last useful is suspect: its
 * frames rank below those of unknown sources in the parking lot (a fuzzer cannot evict the early
 * answers of a peer that has not delivered its first entry yet).
 */
export const SUSPECT_AFTER_FRAMES = 32
/** Entries appended in one store write when parked frames continue the chain. */
export const MAX_CHAIN_BATCH = 64
/**
 * Batches of one replica waiting for the store at once: while one is checked and written, the next
 * one forms (and its signatures are checked ahead, see {@link NodeOptions.verifyAhead}); beyond
 * this, the receive loop waits for the store.
 */
export const MAX_PIPELINE = 3
/**
 * Entries appended in one store write at most: the batches that formed while the store wrote the
 * last ones go together (a durable store syncs once per write).
 */
export const MAX_APPEND_ENTRIES = 256
/**
 * Replicas a node loads (the log's header) during start(); the others are loaded in the
 * background, as the WANT queue has room, so a node with many feeds starts at once.
 */
export const EAGER_REPLICAS = 16
/** Records of one WANT we look at; the rest is ignored (a 1400-byte frame holds 38). */
export const MAX_WANT_RECORDS = 64
/**
 * Served frames per second and face (token bucket), and the burst: the face's cap. Peers asking on
 * one face share it fairly (see {@link PEER_ACTIVE_MS}). 50 000 × 120 bytes = 6 MB/s: above what one
 * core verifies, so a catch-up over UDP is never held back by the server's budget (a consumer that
 * outruns it loses the rest of a WANT and asks again); a LoRa face is held back by its pacing.
 */
export const SERVE_RATE = 50_000
export const SERVE_BURST = 1_024
/**
 * WANT records a node sends per second on a 'udp' face (all replicas together; a token bucket),
 * and the burst: a node following many feeds asks at this pace (shared frames, 6 records each at
 * the default size) instead of all at once. One replica's window (128) fits the burst.
 */
export const WANT_RATE = 50_000
export const WANT_BURST = 1_024
/** The same on a 'lora' face: one 3-record frame per second (the original's LoRa pacing), two at once. */
export const SMALL_FACE_WANT_RATE = 3
export const SMALL_FACE_WANT_BURST = 6
/**
 * WANT records waiting for their frame and budget, per face; more are not queued (the replica asks
 * again on its next timer). Replicas followed lazily are only loaded while the queue has room.
 */
export const MAX_PENDING_WANT_RECORDS = 16_384
/**
 * The same entry is not sent twice to one peer within this time (on a broadcast face: not twice on
 * the face, since every send reaches every peer).
 */
export const SERVE_DEDUP_MS = 200
/**
 * A peer that asked within this time is active; a face's serve rate and burst are split evenly
 * between its active peers, so one peer cannot take more than its share while others wait.
 */
export const PEER_ACTIVE_MS = 1_000
/** Peers a node keeps serve state for (budget, dedup), per face; the least recently heard is evicted. */
export const MAX_PEERS_PER_FACE = 64
/**
 * Amplification bound on 'udp' faces: the bytes a node sends in answer to one peer (entries, the
 * blobs after them, blobs asked for, front hints) stay within this many times the bytes of the
 * requests received from it, plus the credit it may hold (AMPLIFICATION_CREDIT_BYTES). A poc-01
 * WANT record is 36 bytes for a 120-byte answer (3.33 ×), so a node pads the WANTs (and blob
 * requests) it sends on 'udp' faces with zero bytes until they pay for their answers under this
 * bound, and for a front hint (WANT_PAD_HINT_BYTES): (120 × records + 63) / 3 bytes, 261 for a
 * 6-record WANT (padding.ts).
 * An unpadded one-record WANT (43 bytes, the poc-01 node's) is still answered in full.
 */
export const AMPLIFICATION = 3
/**
 * Answer bytes a padded WANT pays for beyond its entries: one front hint for one feed (63 bytes,
 * FRONT_HINT_MIN_BYTES), which the holder sends a peer that is behind (at most every 10 s per
 * feed). Without it the hint waits until unused credit builds up, and a catch-up learns its target
 * late (measured over 20 seeds on the memory hub: 1.18 × the time of one without the bound).
 */
export const WANT_PAD_HINT_BYTES = 63
/**
 * The bound on 'lora' faces, where requests are not padded (padding costs airtime and does not fit:
 * a 3-record WANT of 115 bytes would need 120, an entry's length, and a LoRa frame holds 120). It is
 * the same 3 ×: an unpadded one-record WANT (2.79 ×) is answered in full; a 3-record one asks for
 * 3.13 ×, so about one answer in 24 waits for the credit of the next WANT — on a face whose pacing
 * (airtime, duty cycle) bounds the answers long before that.
 */
export const SMALL_FACE_AMPLIFICATION = 3
/** Unspent credit a peer may keep (it starts at 0): bytes sent in any window ≤ AMPLIFICATION × received + this. */
export const AMPLIFICATION_CREDIT_BYTES = 8_192
/** Blob pointers a node waits for at once; the oldest expectation is given up beyond. */
export const MAX_EXPECTED_BLOBS = 4_096
/** Blobs sent after a served chain20 entry ("chained credit" of the spec's future blob request). */
export const MAX_BLOBS_PER_ENTRY = 16

/**
 * What a face is, for the WANT policy. 'lora': a link where airtime is precious (LoRa, a KISS serial
 * link to a LoRa bridge): WANTs fit one 120-byte LoRa frame and a round asks with one frame.
 * 'udp': a datagram link with bandwidth to spare (UDP, a memory hub): 223-byte WANTs and the whole
 * want-ahead window per round. Default: guessed from the MTU ({@link guessFaceKind}).
 */
export type FaceKind = 'lora' | 'udp'

/** A face with settings of its own; every field but `face` defaults to the node-wide option. */
export interface FaceOptions {
  readonly face: Face
  /** Default: {@link guessFaceKind}(face): 'lora' when face.mtu ≤ SMALL_FACE_MTU, else 'udp'. */
  readonly kind?: FaceKind
  /** Largest WANT frame on this face (capped at face.mtu). Default: NodeOptions.wantBytes, else by kind. */
  readonly wantBytes?: number
  /** Largest WANT frame on this face while every peer heard there is a tinyssb-ts node. Default: NodeOptions.tinyssbWantBytes, else the MTU ('udp'). */
  readonly tinyssbWantBytes?: number
  /** Entry bundles on this face (ask for them, send them). Default: NodeOptions.bundles (true); never on 'lora' faces. */
  readonly bundles?: boolean
  /** Want-ahead window on this face (at most MAX_WINDOW). Default: NodeOptions.window ('udp'), or one WANT frame's worth ('lora'). */
  readonly window?: number
  /** Served frames per second on this face (shared fairly by its peers), and the burst. Default: NodeOptions.serveRate, serveBurst. */
  readonly serveRate?: number
  readonly serveBurst?: number
  /** WANT records sent per second on this face, and the burst. Default: NodeOptions.wantRate, wantBurst, else by kind. */
  readonly wantRate?: number
  readonly wantBurst?: number
  /** The amplification bound on this face (and what its requests are padded for). Default: NodeOptions.amplification, else by kind. */
  readonly amplification?: number
}

/** A verifier that can start checking signatures before the store asks for them ({@link verdictCache}). */
export interface VerifyAhead {
  /** Starts checking `items`; a later `verifyMany` with the same items reuses the verdicts. */
  prefetch(items: readonly VerifyItem[]): void
}

/** What a host hands to {@link createNode}. */
export interface NodeOptions {
  /** Logs: replicas of other feeds and the node's own feeds. Must verify appends (LogStore contract). */
  readonly logs: LogStore
  /** Sidechain blobs; without it, chain20 entries replicate without their blobs. */
  readonly blobs?: BlobStore
  /**
   * The faces: a Face, or `{ face, kind?, wantBytes?, window?, serveRate?, serveBurst? }` for a face
   * with settings of its own ({@link FaceOptions}).
   */
  readonly faces: readonly (Face | FaceOptions)[]
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
  /**
   * Want-ahead window on 'udp' faces; 1 = the original's stop-and-wait. 'lora' faces ask for one
   * frame's worth. At most MAX_WINDOW (192; larger is taken as that): the answers to larger windows,
   * one per datagram, overflowed the socket's receive buffer, and the answers behind the holes the
   * parking lot (the evicted answers were asked again: 20 × slower catch-ups).
   */
  readonly window?: number
  /**
   * Largest WANT frame, in bytes, before padding: it sets the records per frame (default WANT_BYTES
   * on 'udp' faces, SMALL_FACE_WANT_BYTES on 'lora' ones). Raise it (up to the face MTU) when every
   * peer is tinyssb-ts: fewer WANT frames. On 'udp' faces a frame is then padded to pay for its
   * answers (6 records: 261 bytes), never past the MTU, which caps the records too (34 in 1400 bytes).
   */
  readonly wantBytes?: number
  /**
   * Largest WANT frame, before padding, on a 'udp' face while every peer heard there within
   * PEER_KIND_MS is a tinyssb-ts node (it sent a front hint, which the Python original never does):
   * default the face MTU (34 records in 1400 bytes, padded to 1381). Below `wantBytes` (or on 'lora'
   * faces) it has no effect: a face with a peer that never sent a hint keeps `wantBytes`.
   */
  readonly tinyssbWantBytes?: number
  /** Served frames per second and face (default SERVE_RATE), and the burst (default SERVE_BURST). */
  readonly serveRate?: number
  readonly serveBurst?: number
  /**
   * WANT records sent per second and face, all replicas together, and the burst (default
   * WANT_RATE and WANT_BURST on 'udp' faces, SMALL_FACE_WANT_RATE and SMALL_FACE_WANT_BURST on 'lora' ones).
   */
  readonly wantRate?: number
  readonly wantBurst?: number
  /**
   * The store's verifier, when it can check signatures ahead of the append ({@link verdictCache}):
   * the node then hands it each batch of entries as soon as the batch is formed, and the store's
   * `appendMany` finds the verdicts ready (or on their way) while the node takes the next frames.
   */
  readonly verifyAhead?: VerifyAhead
  /**
   * Bytes sent in answer to a peer per byte of request received from it (default AMPLIFICATION on
   * 'udp' faces, SMALL_FACE_AMPLIFICATION on 'lora' ones); Infinity turns the bound off. The node
   * pads its own WANTs and blob requests on 'udp' faces to pay for their answers under this bound
   * (the nodes of one network are expected to share it); with Infinity it does not pad.
   */
  readonly amplification?: number
  /**
   * Asking for missing sidechain blobs with blob requests (docs/extensions.md): on by default when
   * `blobs` is given; `false` turns asking off (requests from peers are still answered).
   */
  readonly blobRequests?: boolean | BlobRequestOptions
  /** Send front hints to peers whose WANTs show they are behind (default true). Hints received are always read. */
  readonly frontHints?: boolean
  /**
   * Entry bundles (docs/extensions.md "Entry bundle"), default true: on 'udp' faces whose MTU holds
   * two entries, the node's WANTs ask for answers in bundles (several entries per datagram), and it
   * answers a WANT that asks so with bundles (to the asker, or on a broadcast face while every peer
   * heard there lately is a tinyssb-ts node). `false`: neither (bundles received are always read).
   */
  readonly bundles?: boolean
}
