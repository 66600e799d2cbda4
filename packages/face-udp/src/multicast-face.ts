import { createSocket } from 'node:dgram'
import { isIPv4 } from 'node:net'
import type { Face, PeerId } from '@tinyssb/core'
import { countDrop, createStats, type FaceStats } from './face-stats.js'
import { FrameHandlers } from './frame-handlers.js'
import { localAddressCheck } from './local-addresses.js'
import { UDP_MTU_BYTES, bindSocket, checkPort, checkSend, closeSocket, frameOf, peerGroupOf, peerIdOf, sendDatagram, udpSocket, type UdpAddress } from './udp-socket.js'

/** tinySSB's multicast group and port (docs/PROTOCOL.md "Faces"). */
export const DEFAULT_MULTICAST_GROUP = '224.1.1.1'
export const DEFAULT_MULTICAST_PORT = 5000
/** tinySSB's default multicast TTL: two router hops. */
export const DEFAULT_MULTICAST_TTL = 2

/** Options of {@link udpMulticastFace}. */
export interface UdpMulticastFaceOptions {
  /** IPv4 multicast group. Default '224.1.1.1'. */
  readonly group?: string
  /** UDP port, bound with SO_REUSEADDR so several nodes on one host can share it. Default 5000. */
  readonly port?: number
  /**
   * Address of the interface to join the group on and send from, e.g. '127.0.0.1' to stay on
   * this host. Default: the system's choice (the interface of the default route).
   */
  readonly iface?: string
  /** Multicast TTL, 0..255. Default 2. */
  readonly ttl?: number
  /**
   * IP_MULTICAST_LOOP: whether sockets on this host get a copy of our frames. Default true.
   * With `iface: '127.0.0.1'` it has no effect: the loopback device delivers to the host anyway.
   */
  readonly loopback?: boolean
  /** Largest frame send() takes. Default 1400. */
  readonly mtu?: number
}

/** A UDP multicast {@link Face}: not addressable, every send reaches the whole group. */
export interface UdpMulticastFace extends Face {
  readonly addressable: false
  /** The address and port the receiving socket is bound to. */
  address(): UdpAddress
  /** The receive buffer the system granted the receiving socket, in bytes (it asks for RECV_BUFFER_BYTES). */
  receiveBufferBytes(): number
  /** The address and ephemeral port this face sends from; datagrams from it are its own. */
  sender(): UdpAddress
  /** The host of a peer, 'udp:ADDRESS' for 'udp:ADDRESS:PORT': one host on many ports is one group. */
  peerGroup(peer: PeerId): string
  readonly stats: FaceStats
}

/**
 * Opens a UDP multicast face: every node on the group hears every frame.
 *
 * Two sockets: one bound to the group's port (SO_REUSEADDR, shared with other nodes on the host)
 * receives; another, bound to an ephemeral port, sends. The kernel gives that ephemeral port to
 * no other socket, so "own frame" is exact even with several nodes on one host and port: a
 * datagram whose source port is our sending port and whose source address is one of this host's
 * is our own, heard back through multicast loopback, and is dropped (stats.dropped.FACE_OWN).
 * A node sending from its bound port (as the Python reference does) is never mistaken for us.
 * `from` is the sender's 'udp:ADDRESS:PORT'. The face is not addressable: `send(frame, to)`
 * accepts `to` and multicasts like `send(frame)` (the peer named is in the group too).
 *
 * @throws FaceError FACE_BIND when a socket cannot be bound or the group joined;
 *   RangeError/TypeError for bad options.
 * @example
 * // Stays on this machine: loopback interface, TTL 0.
 * const face = await udpMulticastFace({ group: '239.255.0.1', port: 5000, iface: '127.0.0.1', ttl: 0 })
 * face.onFrame((frame, from) => console.log(from, frame.length))
 * await face.send(new Uint8Array(120))
 * await face.close()
 */
export async function udpMulticastFace(options: UdpMulticastFaceOptions = {}): Promise<UdpMulticastFace> {
  const group = options.group ?? DEFAULT_MULTICAST_GROUP
  const firstOctet = Number(group.split('.')[0])
  if (!isIPv4(group) || firstOctet < 224 || firstOctet > 239) {
    throw new RangeError(`udpMulticastFace: "group" expected an IPv4 multicast address, got ${group}`)
  }
  const port = checkPort('port', options.port ?? DEFAULT_MULTICAST_PORT, true)
  const iface = options.iface
  if (iface !== undefined && !isIPv4(iface)) throw new TypeError(`udpMulticastFace: "iface" expected an IPv4 address, got ${iface}`)
  const ttl = options.ttl ?? DEFAULT_MULTICAST_TTL
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 255) throw new RangeError(`udpMulticastFace: "ttl" expected 0..255, got ${ttl}`)
  const loopback = options.loopback ?? true
  const mtu = options.mtu ?? UDP_MTU_BYTES

  const stats = createStats()
  const handlers = new FrameHandlers(stats)
  const receiver = createSocket({ type: 'udp4', reuseAddr: true })
  const onSocketError = (): void => countDrop(stats, 'FACE_SOCKET')
  const label = `udpMulticastFace ${group}:${port}`

  await bindSocket(receiver, port, '0.0.0.0', () => receiver.addMembership(group, iface), label)
  const { socket: sender, bound: senderBound } = udpSocket({ type: 'udp4' })
  try {
    await bindSocket(
      sender,
      0,
      iface ?? '0.0.0.0',
      () => {
        if (iface !== undefined) sender.setMulticastInterface(iface)
        sender.setMulticastTTL(ttl)
        sender.setMulticastLoopback(loopback)
      },
      label,
    )
  } catch (error) {
    await closeSocket(receiver)
    throw error
  }
  senderBound()
  receiver.on('error', onSocketError)
  sender.on('error', onSocketError)

  const bound = receiver.address()
  const own = sender.address()
  const name = `udp-mc:${group}:${bound.port}`
  const isLocal = localAddressCheck(iface === undefined ? [] : [iface])
  let closing: Promise<void> | undefined

  receiver.on('message', (message, rinfo) => {
    if (closing !== undefined) return
    if (rinfo.port === own.port && isLocal(rinfo.address)) return countDrop(stats, 'FACE_OWN')
    if (message.length === 0) return countDrop(stats, 'FACE_EMPTY_IN')
    if (message.length > mtu) return countDrop(stats, 'FACE_MTU_IN')
    handlers.dispatch(frameOf(message), peerIdOf(rinfo.address, rinfo.port))
  })

  return {
    name,
    mtu,
    stats,
    address: () => ({ address: bound.address, port: bound.port }),
    receiveBufferBytes: () => receiver.getRecvBufferSize(),
    sender: () => ({ address: own.address, port: own.port }),
    addressable: false,
    peerGroup: peerGroupOf,
    async send(frame: Uint8Array, _to?: PeerId) {
      checkSend(name, mtu, closing !== undefined, frame)
      await sendDatagram(sender, frame, { address: group, port: bound.port }, stats)
    },
    onFrame: (handler) => (closing === undefined ? handlers.add(handler) : () => undefined),
    close() {
      closing ??= (async () => {
        handlers.clear()
        await Promise.all([closeSocket(receiver), closeSocket(sender)])
      })()
      return closing
    },
  }
}
