import { describe, expect, it } from 'vitest'
import { loraAirtimeMs } from '../src/index.js'

describe('loraAirtimeMs', () => {
  it('follows the Semtech formula', () => {
    // SF7/250 kHz, 4/5, 8 preamble, CRC, explicit header: Tsym = 0.512 ms,
    // preamble 12.25 sym, payload 8 + ceil((960 − 28 + 28 + 16) / 28) · 5 = 183 sym.
    expect(loraAirtimeMs(120)).toBeCloseTo((12.25 + 183) * 0.512, 9)
    expect(loraAirtimeMs(120)).toBeGreaterThan(94)
    expect(loraAirtimeMs(120)).toBeLessThan(150) // docs/PROTOCOL.md "Faces": ~94–150 ms
    // SF12/125 kHz: Tsym = 32.768 ms ≥ 16 → low data rate optimisation on.
    // 8 + ceil((960 − 48 + 28 + 16) / (4 · 10)) · 5 = 128 sym.
    expect(loraAirtimeMs(120, { sf: 12, bwHz: 125_000 })).toBeCloseTo((12.25 + 128) * 32.768, 6)
    expect(loraAirtimeMs(10, { explicitHeader: false, crc: false, cr: 8 })).toBeCloseTo(
      (12.25 + 8 + Math.ceil((80 - 28 + 28 - 20) / 28) * 8) * 0.512,
      9,
    )
    expect(() => loraAirtimeMs(120, { sf: 13 })).toThrow(TypeError)
  })
})
