// The serial KISS face: a thin adapter between `serialport` and the pure KISS codec. This is the
// only file that imports serialport, and only when a face is opened, so importing the package for
// the codec never loads the native binding. Pacing comes from @tinyssb/pacing.
import { checkFrame, countDrop, newTrafficStats, type Face, type PeerId, type TrafficStats } from '@tinyssb/core'
import { KISS_PACING, pacedFace, type PacedFaceOptions, type PacedFaceStats } from '@tinyssb/pacing'
import type { SerialPortOpenOptions } from 'serialport'
import { FaceError } from './errors.js'
import { KISS_MAX_FRAME_BYTES, kissDecoder, kissEncode, type KissDecoderStats } from './kiss-codec.js'

/** The tinySSB bridge's serial speed (docs/PROTOCOL.md "Faces"). */
export const KISS_BAUD_RATE = 115_200

/** Options of {@link kissFace}. */
export interface KissFaceOptions {
  /** The serial device, e.g. '/dev/ttyUSB0', '/dev/ttyACM0', '/dev/tty.usbserial-0001', 'COM3'. */
  readonly path: string
  /** Default 115200, as the tinySSB bridge. */
  readonly baudRate?: number | undefined
  /**
   * KISS command byte to send before each frame and to expect (and strip) on receive, e.g. 0x00
   * for stock KISS TNCs and RNodes. Default: none (the tinySSB bridge sends and expects none).
   */
  readonly commandByte?: number | undefined
  /** Largest frame, in bytes; also the face's mtu. Default 256 (the bridge's receive buffer). */
  readonly maxFrame?: number | undefined
  /**
   * Pacing ({@link pacedFace} options: gap, jitter, airtime budget, queue, clock), or `false` for
   * none. Default {@link KISS_PACING} (0.5 s + up to 50 ms).
   */
  readonly pacing?: false | PacedFaceOptions | undefined
  /**
   * A serialport binding, for tests: `SerialPortMock.binding` (not a separately imported
   * `MockBinding`, which may be a second copy). Default: the platform's binding.
   */
  readonly binding?: object | undefined
}

/**
 * Counters of a {@link KissFace}, in @tinyssb/core's TrafficStats convention: `framesIn` (frames
 * received and handed to the handlers), `framesOut` (frames written to the device), `bytesIn`
 * (bytes received, before decoding), `bytesOut` (bytes written, after encoding), and `dropped` by
 * reason: `KISS_GARBAGE`, `KISS_TOO_LONG`, `KISS_BAD_ESCAPE`, `KISS_COMMAND`, `KISS_EMPTY` (the
 * decoder's reasons) and `FACE_HANDLER` (an onFrame handler threw; the others still ran).
 */
export interface KissFaceStats extends TrafficStats {
  /** Port errors: failed writes, disconnects, error events. */
  errors: number
  /** Exceptions thrown by onFrame handlers (caught so they never reach the port's read loop); also `dropped.FACE_HANDLER`. */
  handlerErrors: number
  /** The last port error, for logs. */
  lastError: Error | undefined
  /** The KISS decoder's counters (frames and drops by reason). */
  readonly decoder: KissDecoderStats
  /** The pacing counters, or undefined without pacing. */
  readonly pacing: PacedFaceStats | undefined
}

/**
 * A serial KISS face with its counters. A serial link has one other end (a bridge or a TNC), so
 * `from` is always `kiss:<path>` and the face is not addressable: every frame reaches the other end.
 */
export interface KissFace extends Face {
  readonly addressable: false
  readonly stats: KissFaceStats
  /** True once closed, by close() or because the device went away. */
  readonly closed: boolean
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

/**
 * Opens a serial device (a tinySSB LoRa bridge over USB, or a KISS TNC) as a face. Node only.
 * Received bytes go through an incremental KISS decoder; bad frames are dropped and counted in
 * `stats.dropped` (and `stats.decoder.dropped`). `from` is `kiss:<path>`, the one other end of the
 * link; `send(frame, to)` accepts and ignores `to`: the other end forwards to everyone it reaches. A device that disappears closes the face: its errors are counted in
 * `stats.errors`, later sends reject with FACE_CLOSED, and nothing is thrown.
 * @param options - device path, baud rate, command byte, frame size, pacing, binding.
 * @returns the open face, named `kiss:<path>`, with mtu = maxFrame.
 * @throws FaceError FACE_OPEN when the device cannot be opened (missing, busy, no permission).
 * @example
 * ```ts
 * const face = await kissFace({ path: '/dev/ttyUSB0' })
 * face.onFrame((frame) => console.log(frame.length))
 * await face.send(new Uint8Array(120))
 * await face.close()
 * ```
 */
export async function kissFace(options: KissFaceOptions): Promise<KissFace> {
  const { path, baudRate = KISS_BAUD_RATE, commandByte, maxFrame = KISS_MAX_FRAME_BYTES } = options
  if (typeof path !== 'string' || path === '') throw new TypeError('"path" expected a device path')
  const pacing = options.pacing ?? KISS_PACING
  const name = `kiss:${path}`
  const peer: PeerId = name
  const handlers = new Set<(frame: Uint8Array, from: PeerId) => void>()
  const decoder = kissDecoder({
    maxFrame,
    commandByte: commandByte ?? false,
    onFrame(frame) {
      stats.framesIn++
      for (const h of [...handlers]) {
        try {
          h(frame, peer)
        } catch {
          stats.handlerErrors++
          countDrop(stats, 'FACE_HANDLER')
        }
      }
    },
    onDrop: (reason) => countDrop(stats, `KISS_${reason}`),
  })
  kissEncode(new Uint8Array(0), { commandByte }) // checks commandByte before we touch the device
  const stats: KissFaceStats = {
    ...newTrafficStats(),
    errors: 0,
    handlerErrors: 0,
    lastError: undefined,
    decoder: decoder.stats,
    pacing: undefined,
  }
  const countError = (err: unknown): void => {
    stats.errors++
    stats.lastError = toError(err)
  }

  const { SerialPort } = await import('serialport')
  const portOptions = { path, baudRate, autoOpen: false, ...(options.binding ? { binding: options.binding } : {}) }
  const port = new SerialPort(portOptions as SerialPortOpenOptions<typeof SerialPort.binding>)
  port.on('error', countError) // without a listener an 'error' event would throw
  await new Promise<void>((resolve, reject) => {
    port.open((err) => {
      if (!err) return resolve()
      reject(new FaceError('FACE_OPEN', `cannot open serial device "${path}": ${err.message.replace(/^Error: /, '')}`, { cause: err }))
    })
  })

  let closed = false
  let closing: Promise<void> | undefined
  port.on('data', (chunk: Uint8Array) => {
    stats.bytesIn += chunk.length
    decoder.push(chunk)
  })
  port.on('close', (err: unknown) => {
    // serialport passes a DisconnectedError when the device went away (unplugged, pty closed).
    if (err) countError(err)
    if (!closed) void face.close()
  })

  function closePort(): Promise<void> {
    if (closing) return closing
    closed = true
    handlers.clear()
    closing = new Promise<void>((resolve) => {
      if (!port.isOpen) return resolve()
      port.close(() => resolve()) // a close error is counted by the 'error' listener
    })
    return closing
  }

  const raw: Face = {
    name,
    mtu: maxFrame,
    addressable: false,
    send(frame: Uint8Array): Promise<void> {
      if (closed) return Promise.reject(new FaceError('FACE_CLOSED', `face "${name}" is closed`))
      try {
        checkFrame(name, maxFrame, frame)
      } catch (err) {
        return Promise.reject(err)
      }
      const bytes = kissEncode(frame, { commandByte })
      return new Promise<void>((resolve, reject) => {
        port.write(bytes, (err) => {
          if (err) {
            countError(err)
            return reject(new FaceError('FACE_IO', `write to "${path}" failed: ${err.message}`, { cause: err }))
          }
          stats.framesOut++
          stats.bytesOut += bytes.length
          resolve()
        })
      })
    },
    onFrame(handler) {
      handlers.add(handler)
      return () => {
        handlers.delete(handler)
      }
    },
    close: closePort,
  }

  let outer: Face
  try {
    outer = pacing === false ? raw : pacedFace(raw, pacing)
  } catch (err) {
    await closePort() // bad pacing options: do not leave the device open
    throw err
  }
  if (pacing !== false) (stats as { pacing: PacedFaceStats }).pacing = (outer as ReturnType<typeof pacedFace>).stats
  const face: KissFace = {
    name,
    mtu: maxFrame,
    addressable: false,
    stats,
    get closed() {
      return closed
    },
    send: (frame, to) => outer.send(frame, to),
    onFrame: (handler) => outer.onFrame(handler),
    close: () => outer.close(),
  }
  return face
}
