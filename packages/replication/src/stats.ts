// Counters for apps and tests, in @tinyssb/core's TrafficStats convention: frames and bytes each
// way and drops by reason, for the node as a whole and for each face.
import { countDrop, newTrafficStats, type TrafficStats } from '@tinyssb/core'
import type { DropReason } from './drops.js'

/** Traffic of one face (core's TrafficStats: frames and bytes each way, drops by reason). */
export type FaceCounters = TrafficStats

/**
 * Everything a node counts. Plain numbers: read them any time. The TrafficStats fields are the
 * totals over all faces; `dropped` is keyed by {@link DropReason}.
 */
export interface NodeStats extends TrafficStats {
  /** Per face, by face name. */
  readonly faces: Record<string, FaceCounters>
  /** Entries appended to replicas. */
  appended: number
  /** WANT frames sent. */
  wantsSent: number
  /** Entries sent in answer to WANTs. */
  entriesServed: number
  /** Blobs sent after served chain20 entries and in answer to blob requests. */
  blobsServed: number
  /** Sidechain blobs stored. */
  blobsStored: number
  /** Blob request frames received (decoded) and sent (one per face). */
  blobRequests: number
  blobRequestsSent: number
  /** Front hint frames sent and received (decoded). */
  hintsSent: number
  hintsReceived: number
  /** Received hints the entry they name confirmed, or contradicted (also dropped as HINT_CONTRADICTED). */
  hintsConfirmed: number
  hintsContradicted: number
  /** Entry bundle frames sent (their entries count in entriesServed) and received (decoded). */
  bundlesSent: number
  bundlesReceived: number
}

export function newStats(): NodeStats {
  return {
    ...newTrafficStats(),
    faces: {},
    appended: 0,
    wantsSent: 0,
    entriesServed: 0,
    blobsServed: 0,
    blobsStored: 0,
    blobRequests: 0,
    blobRequestsSent: 0,
    hintsSent: 0,
    hintsReceived: 0,
    hintsConfirmed: 0,
    hintsContradicted: 0,
    bundlesSent: 0,
    bundlesReceived: 0,
  }
}

export function faceCounters(s: NodeStats, face: string): FaceCounters {
  let c = s.faces[face]
  if (!c) {
    c = newTrafficStats()
    s.faces[face] = c
  }
  return c
}

/** Counts a received frame on the node and its face. */
export function countIn(s: NodeStats, face: string, bytes: number): void {
  const c = faceCounters(s, face)
  c.framesIn++
  c.bytesIn += bytes
  s.framesIn++
  s.bytesIn += bytes
}

/** Counts a sent frame on the node and its face. */
export function countOut(s: NodeStats, face: string, bytes: number): void {
  const c = faceCounters(s, face)
  c.framesOut++
  c.bytesOut += bytes
  s.framesOut++
  s.bytesOut += bytes
}

/** Counts a drop on the node and its face. */
export function countNodeDrop(s: NodeStats, face: string, reason: DropReason): void {
  countDrop(s, reason)
  countDrop(faceCounters(s, face), reason)
}
