import { isIPv6 } from 'node:net'
import { FaceError, type Face, type PeerId } from '@tinyssb/core'
import { countDrop, createStats, type FaceStats } from './face-stats.js'
import { FrameHandlers } from './frame-handlers.js'
import { PeerSet, UDP_MAX_PEERS } from './peer-set.js'
import { UDP_MTU_BYTES, bindSocket, checkPort, checkSend, closeSocket, frameOf, peerGroupOf, peerIdOf, sendDatagram, udpSocket, type UdpAddress } from './udp-socket.js'

/** Options of {@link udpUnicastFace}. */
export interface UdpUnicastFaceOptions {
  /** The peer's address. With `port`, frames go there; without both, the face learns its peers. */
  readonly host?: string
  /** The peer's port. */
  readonly port?: number
  /** The local port to bind. Default 0: an ephemeral port. */
  readonly localPort?: number
  /** The local address to bind. Default '0.0.0.0' (all interfaces); '127.0.0.1' stays on this host. */
  readonly localAddress?: string
  /** Largest frame send() takes. Default 1400. */
  readonly mtu?: number
  /** A learning face remembers this many peers, the least recently heard (of the host with the most ports) evicted first. Default 16. */
  readonly maxPeers?: number
}

/** A UDP unicast {@link Face}. */
export interface UdpUnicastFace extends Face {
  /** False with a fixed peer (every frame goes to it); true for a learning face. */
  readonly addressable: boolean
  /** The local address and port the socket is bound to. */
  address(): UdpAddress
  /** The receive buffer the system granted the socket, in bytes (it asks for RECV_BUFFER_BYTES). */
  receiveBufferBytes(): number
  /** Where send() without `to` sends to: the configured peer, the latest heard, or undefined before any frame came in. */
  peer(): UdpAddress | undefined
  /** The peers a learning face can send to ('udp:ADDRESS:PORT'), most recently heard first; [] with a fixed peer. */
  peers(): PeerId[]
  /** The host of a peer, 'udp:ADDRESS' for 'udp:ADDRESS:PORT': one host on many ports is one group. */
  peerGroup(peer: PeerId): string
  readonly stats: FaceStats
}

/**
 * Opens a UDP unicast face: one socket sends and receives from anyone; `from` is the sender's
 * 'udp:ADDRESS:PORT', the same string for every frame of one sender.
 *
 * With `host`/`port` the peer is fixed: every frame goes there (the face is not addressable and
 * ignores `to`), whoever sends to us.
 *
 * Without them the face learns its peers, as the LoRa bridge learns its Wi-Fi clients
 * (docs/PROTOCOL.md "Faces"): it remembers the last `maxPeers` (default 16) senders, the least recently
 * heard evicted first (of the host with the most ports: one host on many ports evicts its own),
 * and is addressable. `send(frame, to)` sends to exactly that peer, and
 * rejects with FaceError FACE_PEER when `to` is not one of them (never heard, or evicted).
 * `send(frame)` without `to` sends to the most recently heard peer, so a client that comes back on
 * a new port is still answered; before any frame came in it drops the frame silently
 * (stats.dropped.FACE_NO_PEER). An engine that answers `from` therefore answers the peer that
 * asked, however many clients talk at once.
 *
 * @throws FaceError FACE_BIND when the socket cannot be bound; RangeError/TypeError for bad options.
 * @example
 * const face = await udpUnicastFace({ host: '127.0.0.1', port: 5001, localAddress: '127.0.0.1' })
 * await face.send(new Uint8Array(120))
 * await face.close()
 */
export async function udpUnicastFace(options: UdpUnicastFaceOptions = {}): Promise<UdpUnicastFace> {
  const { host } = options
  if ((host === undefined) !== (options.port === undefined)) {
    throw new TypeError('udpUnicastFace: give "host" and "port" together, or neither to learn the peer')
  }
  const fixedPeer = host === undefined ? undefined : { address: host, port: checkPort('port', options.port as number, false) }
  const localPort = checkPort('localPort', options.localPort ?? 0, true)
  const localAddress = options.localAddress ?? '0.0.0.0'
  const mtu = options.mtu ?? UDP_MTU_BYTES
  const learnt = new PeerSet(options.maxPeers ?? UDP_MAX_PEERS, peerGroupOf)

  const stats = createStats()
  const handlers = new FrameHandlers(stats)
  const { socket, bound: socketBound } = udpSocket({ type: isIPv6(localAddress) || (host !== undefined && isIPv6(host)) ? 'udp6' : 'udp4' })
  await bindSocket(socket, localPort, localAddress, () => undefined, `udpUnicastFace ${localAddress}:${localPort}`)
  socketBound()
  socket.on('error', () => countDrop(stats, 'FACE_SOCKET'))

  const bound = socket.address()
  const name = fixedPeer === undefined ? `udp:listen:${bound.address}:${bound.port}` : `udp:${fixedPeer.address}:${fixedPeer.port}`
  let closing: Promise<void> | undefined

  socket.on('message', (message, rinfo) => {
    if (closing !== undefined) return
    if (message.length === 0) return countDrop(stats, 'FACE_EMPTY_IN')
    if (message.length > mtu) return countDrop(stats, 'FACE_MTU_IN')
    const from = peerIdOf(rinfo.address, rinfo.port)
    if (fixedPeer === undefined) learnt.heard(from, { address: rinfo.address, port: rinfo.port })
    handlers.dispatch(frameOf(message), from)
  })

  /** Where a frame goes: the fixed peer, the peer named, or the latest heard. */
  const destination = (to: PeerId | undefined): UdpAddress | undefined => {
    if (fixedPeer !== undefined) return fixedPeer
    if (to === undefined) return learnt.latest()
    const known = learnt.get(to)
    if (known === undefined) throw new FaceError('FACE_PEER', `face "${name}": no recent peer ${JSON.stringify(to)}`)
    return known
  }

  return {
    name,
    mtu,
    addressable: fixedPeer === undefined,
    stats,
    address: () => ({ address: bound.address, port: bound.port }),
    receiveBufferBytes: () => socket.getRecvBufferSize(),
    peer: () => {
      const p = fixedPeer ?? learnt.latest()
      return p === undefined ? undefined : { ...p }
    },
    peers: () => (fixedPeer === undefined ? learnt.ids() : []),
    peerGroup: peerGroupOf,
    async send(frame, to) {
      checkSend(name, mtu, closing !== undefined, frame)
      const dest = destination(to)
      if (dest === undefined) return countDrop(stats, 'FACE_NO_PEER')
      await sendDatagram(socket, frame, dest, stats)
    },
    onFrame: (handler) => (closing === undefined ? handlers.add(handler) : () => undefined),
    close() {
      closing ??= (async () => {
        handlers.clear()
        await closeSocket(socket)
      })()
      return closing
    },
  }
}
