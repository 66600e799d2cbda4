// KISS framing (docs/PROTOCOL.md "Faces", serial KISS): frame = FEND ‖ escaped bytes ‖ FEND, where a
// FEND (C0) in the data is sent as FESC TFEND (DB DC) and a FESC (DB) as FESC TFESC (DB DD).
// The tinySSB bridge sends no command byte after the opening FEND; stock KISS TNCs and RNodes
// expect one (0x00 = data on port 0), so it is an option on both sides.
// Pure: no node: imports, so this file runs in browsers (Web Serial) too.

/** Frame END: opens and closes every frame. */
export const FEND = 0xc0
/** Frame ESCape: starts a two-byte escape sequence. */
export const FESC = 0xdb
/** Transposed FEND: `FESC TFEND` stands for a C0 data byte. */
export const TFEND = 0xdc
/** Transposed FESC: `FESC TFESC` stands for a DB data byte. */
export const TFESC = 0xdd
/** The tinySSB LoRa bridge's receive buffer: longer frames are dropped (docs/PROTOCOL.md "Faces"). */
export const KISS_MAX_FRAME_BYTES = 256

/** Options of {@link kissEncode}. */
export interface KissEncodeOptions {
  /**
   * A KISS command byte (0..255) sent after the opening FEND, e.g. 0x00 (data, port 0) for stock
   * KISS TNCs and RNodes. Default: none, as the tinySSB bridge expects.
   */
  readonly commandByte?: number | undefined
}

function checkByte(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new TypeError(`${what} expected an integer 0..255, got ${String(value)}`)
  }
}

/**
 * Wraps one frame in KISS framing: FEND ‖ [command byte] ‖ escaped frame ‖ FEND.
 * @param frame - the bytes to send (any length; the receiver may drop frames over its buffer).
 * @param options - an optional KISS command byte.
 * @returns a new array holding the framed bytes.
 * @throws TypeError when `commandByte` is not an integer 0..255.
 * @example
 * ```ts
 * kissEncode(new Uint8Array([0x01, 0xc0])) // c0 01 db dc c0
 * ```
 */
export function kissEncode(frame: Uint8Array, options: KissEncodeOptions = {}): Uint8Array {
  const cmd = options.commandByte
  if (cmd !== undefined) checkByte(cmd, '"commandByte"')
  // Worst case every byte doubles: 2 FENDs + 2·(command byte + frame).
  const out = new Uint8Array(2 + 2 * (frame.length + 1))
  let n = 0
  out[n++] = FEND
  const put = (b: number): void => {
    if (b === FEND) {
      out[n++] = FESC
      out[n++] = TFEND
    } else if (b === FESC) {
      out[n++] = FESC
      out[n++] = TFESC
    } else {
      out[n++] = b
    }
  }
  if (cmd !== undefined) put(cmd)
  for (const b of frame) put(b)
  out[n++] = FEND
  return out.slice(0, n)
}

/** Why {@link KissDecoder} dropped input. Keys of `stats.dropped`. */
export type KissDropReason =
  | 'EMPTY' // a frame with a command byte and no data (FEND FEND alone is idle fill, not counted)
  | 'TOO_LONG' // more than maxFrame data bytes before the closing FEND
  | 'BAD_ESCAPE' // FESC followed by a byte other than TFEND/TFESC (or by FEND)
  | 'COMMAND' // command-byte mode: a non-data command, or not the expected command byte
  | 'GARBAGE' // bytes before the first FEND (e.g. the tail of a frame sent before we listened)

/** All {@link KissDropReason} values. */
export const KISS_DROP_REASONS: readonly KissDropReason[] = [
  'EMPTY',
  'TOO_LONG',
  'BAD_ESCAPE',
  'COMMAND',
  'GARBAGE',
]

/** Options of {@link kissDecoder}. */
export interface KissDecoderOptions {
  /** Largest frame accepted, in data bytes (after unescaping, without a command byte). Default 256. */
  readonly maxFrame?: number | undefined
  /**
   * Command-byte mode. `true`: the first byte of each frame is a KISS command; data frames (low
   * nibble 0, any port) pass with it stripped. A number: only frames with exactly that command
   * byte pass (e.g. 0x00). Others are dropped as COMMAND. Default `false` (tinySSB bridge).
   */
  readonly commandByte?: boolean | number | undefined
  /** Called once per decoded frame; the array is the handler's to keep. */
  readonly onFrame: (frame: Uint8Array) => void
  /** Called for each drop, after it is counted. */
  readonly onDrop?: ((reason: KissDropReason) => void) | undefined
}

/** Counters of a {@link KissDecoder}. */
export interface KissDecoderStats {
  /** Frames handed to onFrame. */
  frames: number
  /** Drops by reason. */
  readonly dropped: Record<KissDropReason, number>
}

const enum State {
  Hunt, // before the first FEND, or skipping to the next FEND after a dropped frame
  Frame, // inside a frame
  Escape, // inside a frame, after FESC
}

/**
 * Incremental KISS decoder: push chunks as they arrive; any split of the byte stream gives the
 * same frames. Never throws on bad input: bad frames are dropped, counted in `stats.dropped` and
 * reported to `onDrop`, and decoding resynchronises on the next FEND.
 */
export class KissDecoder {
  /** Counters since construction. */
  readonly stats: KissDecoderStats = {
    frames: 0,
    dropped: { EMPTY: 0, TOO_LONG: 0, BAD_ESCAPE: 0, COMMAND: 0, GARBAGE: 0 },
  }
  readonly #maxFrame: number
  readonly #command: boolean | number
  readonly #onFrame: (frame: Uint8Array) => void
  readonly #onDrop: ((reason: KissDropReason) => void) | undefined
  readonly #buf: Uint8Array
  #len = 0
  #state = State.Hunt
  /** Hunting after a drop that was already counted: the skipped bytes are not GARBAGE. */
  #counted = false
  #garbage = false

  /**
   * @param options - limits, command-byte mode and the callbacks.
   * @throws TypeError for a `maxFrame` that is not a positive integer or a bad `commandByte`.
   */
  constructor(options: KissDecoderOptions) {
    const maxFrame = options.maxFrame ?? KISS_MAX_FRAME_BYTES
    if (!Number.isInteger(maxFrame) || maxFrame < 1) {
      throw new TypeError(`"maxFrame" expected a positive integer, got ${String(maxFrame)}`)
    }
    const command = options.commandByte ?? false
    if (typeof command === 'number') checkByte(command, '"commandByte"')
    this.#maxFrame = maxFrame
    this.#command = command
    this.#onFrame = options.onFrame
    this.#onDrop = options.onDrop
    this.#buf = new Uint8Array(maxFrame + (command === false ? 0 : 1))
  }

  /**
   * Feeds received bytes; calls onFrame for every frame completed by them. Bad input never
   * throws; an exception thrown by onFrame propagates and the rest of `chunk` is not decoded,
   * so handlers that may throw should be wrapped (kissFace does).
   * @param chunk - the next bytes of the stream, any length.
   */
  push(chunk: Uint8Array): void {
    for (const b of chunk) {
      switch (this.#state) {
        case State.Hunt:
          if (b === FEND) {
            if (this.#garbage && !this.#counted) this.#drop('GARBAGE')
            this.#garbage = false
            this.#counted = false
            this.#len = 0
            this.#state = State.Frame
          } else {
            this.#garbage = true
          }
          break
        case State.Frame:
          if (b === FEND) this.#end()
          else if (b === FESC) this.#state = State.Escape
          else this.#add(b)
          break
        case State.Escape:
          if (b === TFEND) {
            this.#state = State.Frame
            this.#add(FEND)
          } else if (b === TFESC) {
            this.#state = State.Frame
            this.#add(FESC)
          } else {
            this.#fail('BAD_ESCAPE')
            // A FEND right after FESC still marks a frame boundary: start the next frame on it.
            if (b === FEND) this.push(Uint8Array.of(FEND))
          }
          break
      }
    }
  }

  /** Forgets a partly received frame and waits for the next FEND (e.g. after reopening a port). */
  reset(): void {
    this.#state = State.Hunt
    this.#len = 0
    this.#garbage = false
    this.#counted = false
  }

  #add(b: number): void {
    if (this.#len === this.#buf.length) {
      this.#fail('TOO_LONG')
      return
    }
    this.#buf[this.#len++] = b
  }

  #fail(reason: KissDropReason): void {
    this.#state = State.Hunt
    this.#counted = true
    this.#garbage = false
    this.#len = 0
    this.#drop(reason)
  }

  #end(): void {
    const len = this.#len
    this.#len = 0 // the closing FEND also opens the next frame: state stays Frame
    if (len === 0) return // FEND FEND: idle fill between frames, allowed by KISS
    let start = 0
    if (this.#command !== false) {
      const cmd = this.#buf[0] as number
      const ok = this.#command === true ? (cmd & 0x0f) === 0 : cmd === this.#command
      if (!ok) return this.#drop('COMMAND')
      if (len === 1) return this.#drop('EMPTY')
      start = 1
    }
    this.stats.frames++
    this.#onFrame(this.#buf.slice(start, len))
  }

  #drop(reason: KissDropReason): void {
    this.stats.dropped[reason]++
    this.#onDrop?.(reason)
  }
}

/**
 * Creates an incremental KISS decoder.
 * @param options - `onFrame` (required), `maxFrame` (default 256), `commandByte`, `onDrop`.
 * @returns a decoder; call `push(chunk)` with received bytes.
 * @throws TypeError for a bad `maxFrame` or `commandByte`.
 * @example
 * ```ts
 * const dec = kissDecoder({ onFrame: (f) => frames.push(f) })
 * dec.push(Uint8Array.of(0xc0, 0x01, 0xdb))
 * dec.push(Uint8Array.of(0xdc, 0xc0)) // frames: [01 c0]
 * ```
 */
export function kissDecoder(options: KissDecoderOptions): KissDecoder {
  return new KissDecoder(options)
}
