// The counters of a UDP face are @tinyssb/core's TrafficStats; drops are counted with core's countDrop.
import { countDrop, newTrafficStats, type TrafficStats } from '@tinyssb/core'

/**
 * Counters of a UDP face (@tinyssb/core's {@link TrafficStats}). `dropped` is keyed by reason:
 * - `FACE_OWN`: a datagram this face sent itself, heard back over multicast loopback;
 * - `FACE_NO_PEER`: send() without `to` before a learning unicast face has heard anyone;
 * - `FACE_SEND`: the system refused a datagram (ENETUNREACH, EHOSTUNREACH, ...);
 * - `FACE_MTU_IN`: a received datagram longer than the mtu;
 * - `FACE_EMPTY_IN`: a received zero-length datagram;
 * - `FACE_HANDLER`: an onFrame handler threw (the frame still reached the other handlers);
 * - `FACE_SOCKET`: an asynchronous socket error.
 */
export type FaceStats = TrafficStats

/** Fresh zeroed counters. */
export const createStats: () => FaceStats = newTrafficStats

export { countDrop }
