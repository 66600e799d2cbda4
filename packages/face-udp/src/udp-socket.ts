// Promise wrappers around node:dgram, and the checks and send path both UDP faces share.
import { createSocket, type Socket, type SocketOptions } from 'node:dgram'
import { lookup as dnsLookup } from 'node:dns'
import { isIP } from 'node:net'
import { checkFrame, type PeerId } from '@tinyssb/core'
import { FaceError } from './errors.js'
import { countDrop, type FaceStats } from './face-stats.js'

/** The default largest frame: fits an Ethernet MTU with IP and UDP headers to spare. */
export const UDP_MTU_BYTES = 1400

/**
 * The receive buffer every UDP face socket asks for (SO_RCVBUF, best effort: the kernel grants what
 * it allows without privileges, on Linux up to 2 × net.core.rmem_max, 416 KiB by default). Answers
 * one entry per datagram come in bursts of a want-ahead window, and Linux's default buffer
 * (net.core.rmem_default, 208 KiB, of which each small datagram takes ~1 KiB) held about 200 of
 * them: a burst of 256 lost dozens (RcvbufErrors), and the holes cost a catch-up 20 × its time.
 */
export const RECV_BUFFER_BYTES = 1 << 20

/** A socket's or a peer's address. */
export interface UdpAddress {
  readonly address: string
  readonly port: number
}

/**
 * A dgram socket whose sends to a numeric address skip dns.lookup once `bound()` was called: Node
 * looks up the address of every datagram sent (a no-op for an IP address, but a lookup call and a
 * process.nextTick hop per datagram); this socket's lookup answers an IP address at once, and hands
 * names to dns.lookup as before. Binding (before `bound()`) goes through dns.lookup unchanged.
 */
export function udpSocket(options: Omit<SocketOptions, 'lookup'>): { socket: Socket; bound(): void } {
  let direct = false
  const socket = createSocket({ ...options, lookup: ipLookup(() => direct) })
  return { socket, bound: () => void (direct = true) }
}

/** A dgram lookup: an IP address answered at once (synchronously) while `direct()` holds; names, and everything else, by dns.lookup. */
export function ipLookup(direct: () => boolean): NonNullable<SocketOptions['lookup']> {
  return (hostname, opts, callback) => {
    const family = direct() ? isIP(hostname) : 0
    if (family !== 0) callback(null, hostname, family)
    else dnsLookup(hostname, opts, callback)
  }
}

/**
 * Binds `socket` and runs `setup` in the bind callback (multicast options need a bound socket:
 * setMulticastInterface before bind fails with EBADF).
 * @throws FaceError FACE_BIND, with the system error as cause; the socket is closed then.
 */
export async function bindSocket(socket: Socket, port: number, address: string, setup: () => void, what: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind({ port, address }, () => {
        socket.off('error', reject)
        try {
          largerReceiveBuffer(socket)
          setup()
          resolve()
        } catch (error) {
          reject(error)
        }
      })
    })
  } catch (error) {
    await closeSocket(socket)
    const reason = error instanceof Error ? error.message : String(error)
    throw new FaceError('FACE_BIND', `${what}: cannot bind ${address}:${port}: ${reason}`, { cause: error })
  }
}

/** Closes a socket; a socket that is closed already is fine. */
export function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve())
    } catch {
      resolve() // ERR_SOCKET_DGRAM_NOT_RUNNING: closed already
    }
  })
}

/**
 * The send check of both UDP faces: closed, then @tinyssb/core's {@link checkFrame}.
 * @throws FaceError FACE_CLOSED, FACE_EMPTY, FACE_MTU.
 */
export function checkSend(name: string, mtu: number, closed: boolean, frame: Uint8Array): void {
  if (closed) throw new FaceError('FACE_CLOSED', `face "${name}" is closed`)
  checkFrame(name, mtu, frame)
}

/** The PeerId of a UDP sender: 'udp:ADDRESS:PORT'. */
export function peerIdOf(address: string, port: number): PeerId {
  return `udp:${address}:${port}`
}

/**
 * The group of a UDP peer: its host, 'udp:ADDRESS' for 'udp:ADDRESS:PORT' (IPv6 too: the port is
 * after the last colon). One host sending from many ports is one group (Face.peerGroup).
 */
export function peerGroupOf(peer: PeerId): string {
  const i = peer.lastIndexOf(':')
  return peer.startsWith('udp:') && i > 4 ? peer.slice(0, i) : peer
}

/**
 * Sends one datagram, best effort: resolves once the system took it or refused it, never rejects.
 * A refusal is counted as dropped.FACE_SEND.
 */
export function sendDatagram(
  socket: Pick<Socket, 'send'>,
  frame: Uint8Array,
  to: UdpAddress,
  stats: FaceStats,
): Promise<void> {
  return new Promise((resolve) => {
    const done = (error: Error | null): void => {
      if (error) countDrop(stats, 'FACE_SEND')
      else {
        stats.framesOut++
        stats.bytesOut += frame.length
      }
      resolve()
    }
    try {
      socket.send(frame, to.port, to.address, done)
    } catch (error) {
      done(error as Error) // e.g. the socket was closed while the frame was queued
    }
  })
}

/** Copies a received datagram into a plain Uint8Array (the public API never hands out Buffers). */
export function frameOf(message: Buffer): Uint8Array {
  return new Uint8Array(message)
}

/**
 * Checks a port number from options.
 * @throws RangeError for anything but an integer in 0..65535 (or 1..65535 for a destination).
 */
export function checkPort(what: string, port: number, allowZero: boolean): number {
  if (!Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535) {
    throw new RangeError(`"${what}" expected a port ${allowZero ? 0 : 1}..65535, got ${port}`)
  }
  return port
}

/** Asks for {@link RECV_BUFFER_BYTES} of receive buffer; a system that refuses keeps its default. */
function largerReceiveBuffer(socket: Socket): void {
  try {
    if (socket.getRecvBufferSize() < RECV_BUFFER_BYTES) socket.setRecvBufferSize(RECV_BUFFER_BYTES)
  } catch {
    // the default buffer: larger windows may then lose answers in bursts (they are asked again)
  }
}
