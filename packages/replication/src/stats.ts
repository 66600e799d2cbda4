// Counters for apps and tests: frames and bytes per face, drops by reason.

/** Traffic of one face. */
export interface FaceCounters {
  framesIn: number
  bytesIn: number
  framesOut: number
  bytesOut: number
}

/** Everything a node counts. Plain numbers: read them any time. */
export interface NodeStats {
  readonly faces: Record<string, FaceCounters>
  /** Frames dropped, by reason: NO_DMX, SHORT, PACKET_LENGTH, PACKET_DMX, PACKET_SIGNATURE, STORE_SEQ, RATE_LIMITED, INBOX_FULL, … */
  readonly dropped: Record<string, number>
  /** Entries appended to replicas. */
  appended: number
  /** WANT frames sent and served entries sent. */
  wantsSent: number
  entriesServed: number
  blobsStored: number
}

export function newStats(): NodeStats {
  return { faces: {}, dropped: {}, appended: 0, wantsSent: 0, entriesServed: 0, blobsStored: 0 }
}

export function faceCounters(s: NodeStats, face: string): FaceCounters {
  let c = s.faces[face]
  if (!c) {
    c = { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0 }
    s.faces[face] = c
  }
  return c
}

export function countDrop(s: NodeStats, reason: string): void {
  s.dropped[reason] = (s.dropped[reason] ?? 0) + 1
}
