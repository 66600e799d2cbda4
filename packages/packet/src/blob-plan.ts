// The blob request planner: which pointers a node asks for, with which credit, to complete the
// sidechains it holds entries of. Pure: blobs are looked up through the function handed in.
import { checkLength, equalBytes, isZero, toHex } from './bytes.js'
import { BLOB_BYTES, BLOB_CONTENT_BYTES, CHAIN_INLINE_BYTES, HASHPTR_BYTES, PAYLOAD_BYTES } from './constants.js'
import { BLOB_CREDIT_MAX, type BlobRequestRecord } from './blob-request.js'
import { PacketError } from './errors.js'
import { blobPointer, MAX_CHAIN_CONTENT_BYTES, type ReadSidechainOptions } from './sidechain.js'
import { decodeVarint } from './varint.js'

/** A blob lookup, e.g. `(p) => blobStore.get(p)` (a `BlobStore`), or a synchronous map lookup. */
export type BlobLookup = (ptr: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined>

/**
 * How many blobs the sidechain of a chain20 payload has in all: 0 when the content is inline,
 * else ⌈(varint + content − 28) / 100⌉.
 * @throws PacketError PACKET_LENGTH (not 48 bytes), VARINT_TRUNCATED, CHAIN_TOO_LONG (content
 *   announced over `maxBytes`, default 64 MiB).
 */
export function sidechainBlobCount(payload48: Uint8Array, options: ReadSidechainOptions = {}): number {
  checkLength(payload48, PAYLOAD_BYTES, 'payload48')
  const { value, size } = decodeVarint(payload48)
  const maxBytes = options.maxBytes ?? MAX_CHAIN_CONTENT_BYTES
  if (value > BigInt(maxBytes)) {
    throw new PacketError('CHAIN_TOO_LONG', `sidechain content of ${value} bytes exceeds the limit of ${maxBytes}`)
  }
  const total = size + Number(value)
  return total <= CHAIN_INLINE_BYTES ? 0 : Math.ceil((total - CHAIN_INLINE_BYTES) / BLOB_CONTENT_BYTES)
}

/** Where to start following a chain: a chain20 entry's payload, or a blob pointer inside a chain. */
export type ChainStart =
  /** The payload of a chain20 entry: the number of blobs is known from its length. */
  | { readonly payload48: Uint8Array }
  /** A pointer into a chain; `remaining` is the blobs from it to the end, when known. */
  | { readonly ptr: Uint8Array; readonly remaining?: number }

/** What a node holds of one sidechain ({@link chainStatus}). */
export type ChainStatus =
  | { readonly complete: true; readonly held: number }
  | {
      readonly complete: false
      /** Blobs held, following the chain from its start. */
      readonly held: number
      /** The pointer of the first blob not held. */
      readonly missing: Uint8Array
      /** Blobs from the missing one to the end (the missing one included), when known. */
      readonly remaining: number | undefined
    }

/**
 * Follows a sidechain through `lookup` to its first missing blob. Each blob found must be 120
 * bytes and hash to its pointer; the walk never goes past the announced number of blobs (or
 * `remaining`), so it is bounded even for a hostile chain that loops.
 * @throws PacketError CHAIN_BLOB (a blob that does not match its pointer, or a chain that ends
 *   before the announced length), CHAIN_TOO_LONG, VARINT_TRUNCATED, PACKET_LENGTH.
 */
export async function chainStatus(start: ChainStart, lookup: BlobLookup, options: ReadSidechainOptions = {}): Promise<ChainStatus> {
  let total: number | undefined
  let ptr: Uint8Array | undefined
  if ('payload48' in start) {
    total = sidechainBlobCount(start.payload48, options)
    ptr = total > 0 ? start.payload48.subarray(CHAIN_INLINE_BYTES) : undefined
  } else {
    checkLength(start.ptr, HASHPTR_BYTES, 'blob pointer')
    total = start.remaining
    ptr = isZero(start.ptr) ? undefined : start.ptr
  }
  const cap = total ?? Math.ceil((options.maxBytes ?? MAX_CHAIN_CONTENT_BYTES) / BLOB_CONTENT_BYTES)
  let held = 0
  while (held < cap) {
    if (!ptr || isZero(ptr)) {
      if (total === undefined) return { complete: true, held }
      throw new PacketError('CHAIN_BLOB', `sidechain ends after ${held} of ${total} blobs`)
    }
    const blob = await lookup(ptr)
    if (!blob) return { complete: false, held, missing: ptr.slice(), remaining: total === undefined ? undefined : total - held }
    if (blob.length !== BLOB_BYTES || !equalBytes(blobPointer(blob), ptr)) {
      throw new PacketError('CHAIN_BLOB', 'blob does not match its hash pointer')
    }
    held++
    ptr = blob.subarray(BLOB_CONTENT_BYTES)
  }
  return { complete: true, held }
}

/** The result of {@link planBlobRequests}. */
export interface BlobPlan {
  /** One record per incomplete chain (pointers asked twice merged), credit capped. */
  readonly records: BlobRequestRecord[]
  /** Per start, in order: its status (an error's code for a chain that cannot be read). */
  readonly chains: (ChainStatus | { readonly complete: false; readonly error: string })[]
}

/** Options of {@link planBlobRequests}. */
export interface PlanBlobRequestsOptions extends ReadSidechainOptions {
  /** Credit per record (default and maximum {@link BLOB_CREDIT_MAX}); used in full when the chain's length is unknown. */
  readonly maxCredit?: number
}

/**
 * Plans blob requests for sidechains a node holds entries of: for each chain, the first missing
 * blob, with credit for the rest of the chain (capped at `maxCredit`; the requester asks again
 * from where the answers stop). A chain that cannot be read (a blob that does not match, a bad
 * length) gets no record and reports its error code. Pack the records with `packBlobRequests`.
 * @example
 * ```ts
 * const plan = await planBlobRequests([{ payload48: entry.payload }], (p) => blobs.get(p))
 * for (const frame of packBlobRequests(plan.records)) face.send(frame)
 * ```
 */
export async function planBlobRequests(
  starts: readonly ChainStart[],
  lookup: BlobLookup,
  options: PlanBlobRequestsOptions = {},
): Promise<BlobPlan> {
  const maxCredit = Math.max(1, Math.min(BLOB_CREDIT_MAX, Math.floor(options.maxCredit ?? BLOB_CREDIT_MAX)))
  const byPtr = new Map<string, BlobRequestRecord>()
  const chains: BlobPlan['chains'] = []
  for (const start of starts) {
    let status: ChainStatus
    try {
      status = await chainStatus(start, lookup, options)
    } catch (err) {
      if (!(err instanceof PacketError)) throw err
      chains.push({ complete: false, error: err.code })
      continue
    }
    chains.push(status)
    if (status.complete) continue
    const credit = Math.min(maxCredit, status.remaining ?? maxCredit)
    const key = toHex(status.missing)
    const had = byPtr.get(key)
    if (!had || had.credit < credit) byPtr.set(key, { ptr: status.missing, credit })
  }
  return { records: [...byPtr.values()], chains }
}
