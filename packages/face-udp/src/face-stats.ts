/**
 * Counters of a UDP face. `dropped` is keyed by reason:
 * - `FACE_OWN`: a datagram this face sent itself, heard back over multicast loopback;
 * - `FACE_NO_PEER`: send() before a unicast face knows whom to send to;
 * - `FACE_SEND`: the system refused a datagram (ENETUNREACH, EHOSTUNREACH, ...);
 * - `FACE_MTU_IN`: a received datagram longer than the mtu;
 * - `FACE_EMPTY_IN`: a received zero-length datagram;
 * - `FACE_HANDLER`: an onFrame handler threw (the frame still reached the other handlers);
 * - `FACE_SOCKET`: an asynchronous socket error.
 */
export interface FaceStats {
  framesIn: number
  framesOut: number
  bytesIn: number
  bytesOut: number
  readonly dropped: Record<string, number>
}

export function createStats(): FaceStats {
  return { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, dropped: {} }
}

export function countDrop(stats: FaceStats, reason: string): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1
}
