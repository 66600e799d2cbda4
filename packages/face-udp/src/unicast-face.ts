import { createSocket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import type { Face } from '@tinyssb/core'
import { countDrop, createStats, type FaceStats } from './face-stats.js'
import { FrameHandlers } from './frame-handlers.js'
import { UDP_MTU_BYTES, bindSocket, checkFrame, checkPort, closeSocket, frameOf, sendDatagram, type UdpAddress } from './udp-socket.js'

/** Options of {@link udpUnicastFace}. */
export interface UdpUnicastFaceOptions {
  /** The peer's address. With `port`, frames go there; without both, the face learns its peer. */
  readonly host?: string
  /** The peer's port. */
  readonly port?: number
  /** The local port to bind. Default 0: an ephemeral port. */
  readonly localPort?: number
  /** The local address to bind. Default '0.0.0.0' (all interfaces); '127.0.0.1' stays on this host. */
  readonly localAddress?: string
  /** Largest frame send() takes. Default 1400. */
  readonly mtu?: number
}

/** A UDP unicast {@link Face}. */
export interface UdpUnicastFace extends Face {
  /** The local address and port the socket is bound to. */
  address(): UdpAddress
  /** Where send() sends to: the configured peer, the learnt one, or undefined before any frame came in. */
  peer(): UdpAddress | undefined
  readonly stats: FaceStats
}

/**
 * Opens a UDP unicast face: one socket sends to the peer and receives from anyone
 * (`from` is the sender's 'address:port').
 *
 * Without `host`/`port` the face learns its peer from the first frame it receives, as the LoRa
 * bridge learns its one Wi-Fi client (PROTOCOL.md, Faces), and then follows the sender of the
 * latest frame, so a client that comes back on a new port is still answered. Until a frame has
 * come in, send() drops frames silently (stats.dropped.FACE_NO_PEER).
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

  const stats = createStats()
  const handlers = new FrameHandlers(stats)
  const socket = createSocket({ type: isIPv6(localAddress) || (host !== undefined && isIPv6(host)) ? 'udp6' : 'udp4' })
  await bindSocket(socket, localPort, localAddress, () => undefined, `udpUnicastFace ${localAddress}:${localPort}`)
  socket.on('error', () => countDrop(stats, 'FACE_SOCKET'))

  const bound = socket.address()
  const name = fixedPeer === undefined ? `udp:listen:${bound.address}:${bound.port}` : `udp:${fixedPeer.address}:${fixedPeer.port}`
  let learnt: UdpAddress | undefined
  let closing: Promise<void> | undefined

  socket.on('message', (message, rinfo) => {
    if (closing !== undefined) return
    if (message.length === 0) return countDrop(stats, 'FACE_EMPTY_IN')
    if (message.length > mtu) return countDrop(stats, 'FACE_MTU_IN')
    if (fixedPeer === undefined) learnt = { address: rinfo.address, port: rinfo.port }
    handlers.dispatch(frameOf(message), `${rinfo.address}:${rinfo.port}`)
  })

  const peer = (): UdpAddress | undefined => fixedPeer ?? learnt
  return {
    name,
    mtu,
    stats,
    address: () => ({ address: bound.address, port: bound.port }),
    peer: () => {
      const p = peer()
      return p === undefined ? undefined : { ...p }
    },
    async send(frame) {
      checkFrame(name, mtu, closing !== undefined, frame)
      const to = peer()
      if (to === undefined) return countDrop(stats, 'FACE_NO_PEER')
      await sendDatagram(socket, frame, to, stats)
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
