// The transport seam. A face moves whole frames over one medium and names the peers it hears;
// it knows nothing about logs or messages.
import { FaceError } from './errors.js'

/**
 * A peer as one face knows it: a string, stable for as long as the face is open and unique among
 * the peers of that face (e.g. 'udp:127.0.0.1:5001' on UDP, the sending face's name on a memory
 * hub, 'kiss:/dev/ttyUSB0' for the one other end of a serial link). Two faces may use the same
 * string for different peers: a peer is identified by (face, PeerId).
 */
export type PeerId = string

/** A transport: moves whole frames over one medium. It knows nothing about logs. */
export interface Face {
  /** For logs and counters, e.g. 'udp-mc:224.1.1.1:5000'. */
  readonly name: string
  /** The largest frame send() takes. */
  readonly mtu: number
  /**
   * Whether `send(frame, to)` reaches `to` alone. False (or absent) on broadcast media (multicast,
   * LoRa, a serial link to a bridge): there every send reaches every peer, `to` included.
   */
  readonly addressable?: boolean
  /**
   * Sends one frame, best effort: loss is normal.
   * @param to the peer to send to, as `onFrame` named it; omitted: every peer the face reaches.
   *   A broadcast-only face sends to everyone, which includes `to`.
   * @throws FaceError FACE_EMPTY, FACE_MTU ({@link checkFrame}), FACE_CLOSED, FACE_PEER.
   */
  send(frame: Uint8Array, to?: PeerId): Promise<void>
  /**
   * Optional: the group `peer` belongs to, for fairness. Peers the face cannot tell apart as senders
   * share one group — on UDP the host address ('udp:127.0.0.1' for 'udp:127.0.0.1:5001' and every
   * other port of that host), so one host using many source ports gets one share of a budget, not
   * one per port. An engine shares its budgets fairly between groups first, then between the peers
   * of a group. Absent (or returning `peer`): every peer is a group of its own. Must be cheap and
   * pure: the same string for the same peer while the face is open.
   */
  peerGroup?(peer: PeerId): string
  /** Subscribes to received frames; `from` names the sender (see {@link PeerId}). Returns "unsubscribe". */
  onFrame(handler: (frame: Uint8Array, from: PeerId) => void): () => void
  close(): Promise<void>
}

/**
 * The one send check every face applies before it queues or writes a frame.
 * @throws FaceError FACE_EMPTY for a zero-length frame, FACE_MTU for one longer than `mtu`.
 */
export function checkFrame(faceName: string, mtu: number, frame: Uint8Array): void {
  if (!(frame instanceof Uint8Array)) throw new FaceError('FACE_EMPTY', `face "${faceName}": frame must be a Uint8Array`)
  if (frame.length === 0) throw new FaceError('FACE_EMPTY', `face "${faceName}": empty frame`)
  if (frame.length > mtu) {
    throw new FaceError('FACE_MTU', `face "${faceName}": frame of ${frame.length} bytes exceeds mtu ${mtu}`)
  }
}
