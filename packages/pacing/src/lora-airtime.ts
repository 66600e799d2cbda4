// LoRa time on air, after Semtech AN1200.13 "LoRa Modem Designer's Guide" (and the SX127x/SX126x
// datasheets):
//   Tsym      = 2^SF / BW
//   Tpreamble = (preamble + 4.25) · Tsym
//   nPayload  = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
// with PL the payload bytes, CRC 1 when on, IH 1 for an implicit header, DE 1 with low data rate
// optimisation, CR 1..4 for coding rates 4/5..4/8.

/** Radio settings of {@link loraAirtimeMs}. */
export interface LoraAirtimeOptions {
  /** Spreading factor 6..12. Default 7. */
  readonly sf?: number | undefined
  /** Bandwidth in Hz. Default 250 000 (the tinySSB bridge's setting). */
  readonly bwHz?: number | undefined
  /** Coding rate denominator 5..8 (4/5..4/8). Default 5. */
  readonly cr?: number | undefined
  /** Preamble symbols. Default 8. */
  readonly preamble?: number | undefined
  /** Payload CRC on. Default true. */
  readonly crc?: boolean | undefined
  /** Explicit header (the usual mode). Default true. */
  readonly explicitHeader?: boolean | undefined
  /** Low data rate optimisation. Default: on when a symbol lasts 16 ms or more (as radios require). */
  readonly lowDataRateOptimize?: boolean | undefined
}

/**
 * The default radio settings of {@link loraAirtimeMs}: spreading factor 7 and 250 kHz bandwidth,
 * the tinySSB bridge's. Tools that show or document the defaults take them from here.
 */
export const LORA_AIRTIME_DEFAULTS: Readonly<{ sf: number; bwHz: number }> = Object.freeze({ sf: 7, bwHz: 250_000 })

/**
 * The time on air of one LoRa packet, in milliseconds (Semtech's formula).
 * @param bytes - payload length in bytes (a tinySSB frame: 120 for an entry or a blob).
 * @param options - radio settings; defaults SF7, 250 kHz, 4/5, 8 preamble symbols, CRC, explicit header.
 * @returns milliseconds, e.g. ≈ 100 ms for 120 bytes at the defaults.
 * @throws TypeError for settings outside the ranges above.
 * @example
 * ```ts
 * loraAirtimeMs(120) // ≈ 99.97
 * loraAirtimeMs(120, { sf: 9, bwHz: 125_000 }) // ≈ 741
 * ```
 */
export function loraAirtimeMs(bytes: number, options: LoraAirtimeOptions = {}): number {
  const { sf = LORA_AIRTIME_DEFAULTS.sf, bwHz = LORA_AIRTIME_DEFAULTS.bwHz, cr = 5, preamble = 8, crc = true, explicitHeader = true } = options
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > 255) {
    throw new TypeError(`"bytes" expected an integer 0..255, got ${String(bytes)}`)
  }
  if (!Number.isInteger(sf) || sf < 6 || sf > 12) throw new TypeError(`"sf" expected 6..12, got ${String(sf)}`)
  if (!Number.isInteger(cr) || cr < 5 || cr > 8) throw new TypeError(`"cr" expected 5..8, got ${String(cr)}`)
  if (!(bwHz > 0)) throw new TypeError(`"bwHz" expected a positive number, got ${String(bwHz)}`)
  if (!Number.isInteger(preamble) || preamble < 0) {
    throw new TypeError(`"preamble" expected a non-negative integer, got ${String(preamble)}`)
  }
  const tSymMs = (2 ** sf / bwHz) * 1000
  const de = (options.lowDataRateOptimize ?? tSymMs >= 16) ? 1 : 0
  const ih = explicitHeader ? 0 : 1
  const num = 8 * bytes - 4 * sf + 28 + 16 * (crc ? 1 : 0) - 20 * ih
  const nPayload = 8 + Math.max(Math.ceil(num / (4 * (sf - 2 * de))) * cr, 0)
  return (preamble + 4.25) * tSymMs + nPayload * tSymMs
}
