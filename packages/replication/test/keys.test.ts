import { describe, expect, it } from 'vitest'
import { mulberry32 } from '@tinyssb/core'
import { nextDmx, nextDmxLatin1 } from '@tinyssb/packet'
import { bkey, dmxKeyOf, unkey } from '../src/keys.js'

describe('byte-string keys', () => {
  const rnd = mulberry32(11)
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256))

  it('bkey and unkey round-trip every byte value, at the lengths the node keys', () => {
    for (const n of [0, 7, 20, 32, 33]) {
      const b = bytes(n)
      expect(unkey(bkey(b))).toEqual(b)
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(unkey(bkey(all))).toEqual(all)
  })

  it("dmxKeyOf is the bkey of a frame's first 7 bytes", () => {
    for (let i = 0; i < 20; i++) {
      const f = bytes(7 + i * 6)
      expect(dmxKeyOf(f)).toBe(bkey(f.subarray(0, 7)))
    }
  })

  it('the DMX keys the node arms (nextDmxLatin1) match the keys of arriving frames', () => {
    for (let i = 0; i < 20; i++) {
      const fid = bytes(32)
      const mid = bytes(20)
      const frame = new Uint8Array(120)
      frame.set(nextDmx(fid, i + 1, mid))
      expect(nextDmxLatin1(fid, i + 1, mid)).toBe(dmxKeyOf(frame))
    }
  })
})
