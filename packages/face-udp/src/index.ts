/**
 * @tinyssb/face-udp — tinySSB UDP faces for Node: multicast (every node on a group hears every
 * frame) and unicast (one fixed peer, or the recent senders it learnt, addressable by PeerId
 * 'udp:ADDRESS:PORT'), behind the Face interface of @tinyssb/core.
 * @packageDocumentation
 */
export { FaceError, type FaceErrorCode } from './errors.js'
export type { FaceStats } from './face-stats.js'
export { RECV_BUFFER_BYTES, UDP_MTU_BYTES, type UdpAddress } from './udp-socket.js'
export {
  DEFAULT_MULTICAST_GROUP,
  DEFAULT_MULTICAST_PORT,
  DEFAULT_MULTICAST_TTL,
  udpMulticastFace,
  type UdpMulticastFace,
  type UdpMulticastFaceOptions,
} from './multicast-face.js'
export { udpUnicastFace, type UdpUnicastFace, type UdpUnicastFaceOptions } from './unicast-face.js'
export { UDP_MAX_PEERS } from './peer-set.js'
