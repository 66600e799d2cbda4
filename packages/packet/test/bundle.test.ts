// Entry bundles: dmx("tinyssb-ts/bundle") ‖ N × entry(120), N ≥ 2, and the WANT marker record
// that asks for them (an all-zero fid with seq "bund").
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  BUNDLE_MIN_BYTES,
  BUNDLE_MIN_ENTRIES,
  BUNDLE_NAME,
  BUNDLE_WANT_SEQ,
  PACKET_BYTES,
  bundleDmx,
  bundleWantRecord,
  checkEntry,
  createPlainEntry,
  decodeBundle,
  decodeWant,
  encodeBundle,
  encodeWant,
  genesisPosition,
  isBundle,
  isBundleWantRecord,
  maxBundleEntries,
  wantDmx,
  type Entry,
} from '../src/index.js'
import { expectPacketError, hex, utf8 } from './vectors.js'

// computed here, independently of the package's extensionDmx
const DMX = createHash('sha256').update('tinyssb-v0').update('tinyssb-ts/bundle').digest().subarray(0, 7)
const signer = nodeEd25519.signer(new Uint8Array(32).fill(5))
const fid = signer.publicKey
const log: Entry[] = []
for (let seq = 1, prev = genesisPosition(fid).prev; seq <= 12; seq++) {
  const e = createPlainEntry({ fid, seq, prev }, utf8(`bundled entry ${seq}`), signer)
  log.push(e)
  prev = e.mid
}
const wires = (n: number): Uint8Array[] => log.slice(0, n).map((e) => e.wire)

describe('bundle frames', () => {
  it('the DMX is sha256("tinyssb-v0" ‖ "tinyssb-ts/bundle")[0:7] = 4efeb72d707978', () => {
    expect(BUNDLE_NAME).toBe('tinyssb-ts/bundle')
    expect(hex(bundleDmx())).toBe(hex(DMX))
    expect(hex(DMX)).toBe('4efeb72d707978')
    const copy = bundleDmx()
    copy[0]! ^= 0xff // a copy: the codec's own DMX is not changed
    expect(hex(bundleDmx())).toBe(hex(DMX))
  })

  it.each([2, 3, 5, 8, 11])('round trip of %i real entries: dmx ‖ the wires, each still checks alone', (n) => {
    const frame = encodeBundle(wires(n))
    expect(frame.length).toBe(7 + n * PACKET_BYTES)
    expect(hex(frame)).toBe(hex(DMX) + wires(n).map(hex).join(''))
    expect(isBundle(frame)).toBe(true)
    const back = decodeBundle(frame)
    expect(back.map(hex)).toEqual(wires(n).map(hex))
    back.forEach((wire, i) => {
      const e = log[i]!
      expect(checkEntry({ fid, seq: e.seq, prev: e.prev }, wire, nodeEd25519).ok).toBe(true)
    })
  })

  it('decodeBundle returns copies: changing the frame afterwards changes no entry', () => {
    const frame = encodeBundle(wires(3))
    const back = decodeBundle(frame)
    frame.fill(0xaa, 7)
    expect(back.map(hex)).toEqual(wires(3).map(hex))
    back[0]!.fill(0) // nor does changing an entry change the others or the frame
    expect(hex(back[1]!)).toBe(hex(log[1]!.wire))
    expect(frame[7]).toBe(0xaa)
  })

  it('encodeBundle copies the wires (changing one afterwards does not change the frame)', () => {
    const own = wires(2).map((w) => w.slice())
    const frame = encodeBundle(own)
    own[0]!.fill(0)
    expect(hex(frame)).toBe(hex(DMX) + wires(2).map(hex).join(''))
  })

  it.each([
    [1400, 11],
    [1335, 11], // 7 + 11 × 120 = 1327
    [1326, 10],
    [247, 2],
    [246, 0],
    [127, 0],
    [120, 0],
    [0, 0],
  ])('maxBundleEntries(%i) = %i', (mtu, n) => {
    expect(maxBundleEntries(mtu)).toBe(n)
    if (n > 0) expect(encodeBundle(wires(n)).length).toBeLessThanOrEqual(mtu)
    if (n > 0 && n < log.length) expect(7 + (n + 1) * PACKET_BYTES).toBeGreaterThan(mtu)
  })

  it('a bundle is never 120 bytes: 247 at least, and 120 + 7 (mod 120) always', () => {
    expect(BUNDLE_MIN_ENTRIES).toBe(2)
    expect(BUNDLE_MIN_BYTES).toBe(247)
    for (let n = 2; n <= 11; n++) {
      const frame = encodeBundle(wires(n))
      expect(frame.length).not.toBe(PACKET_BYTES)
      expect(frame.length % PACKET_BYTES).toBe(7)
    }
  })

  it('isBundle looks at the DMX only: a plain entry, a WANT, a short frame are not bundles', () => {
    expect(isBundle(log[0]!.wire)).toBe(false)
    expect(isBundle(encodeWant(wantDmx(fid), [{ fid, seq: 1 }]))).toBe(false)
    expect(isBundle(DMX.subarray(0, 6))).toBe(false)
    expect(isBundle(new Uint8Array(0))).toBe(false)
    expect(isBundle(new Uint8Array(DMX))).toBe(true) // length is decodeBundle's check
    const other = encodeBundle(wires(2))
    other[6]! ^= 1
    expect(isBundle(other)).toBe(false)
  })
})

describe('bundle errors', () => {
  it('BUNDLE_ENTRIES: encoding 0 or 1 wires (one entry goes alone)', () => {
    expectPacketError(() => encodeBundle([]), 'BUNDLE_ENTRIES')
    expectPacketError(() => encodeBundle(wires(1)), 'BUNDLE_ENTRIES')
  })

  it.each([119, 121, 0])('PACKET_LENGTH: a %i-byte wire', (len) => {
    expectPacketError(() => encodeBundle([log[0]!.wire, new Uint8Array(len)]), 'PACKET_LENGTH')
    expectPacketError(() => encodeBundle([new Uint8Array(len), log[0]!.wire, log[1]!.wire]), 'PACKET_LENGTH')
  })

  it('BUNDLE_DMX: a frame without the bundle DMX, whatever its length', () => {
    const frame = encodeBundle(wires(2))
    frame[0]! ^= 0x80
    expectPacketError(() => decodeBundle(frame), 'BUNDLE_DMX')
    expectPacketError(() => decodeBundle(log[0]!.wire), 'BUNDLE_DMX')
    expectPacketError(() => decodeBundle(new Uint8Array(3)), 'BUNDLE_DMX')
  })

  it.each([7, 127, 246, 248, 7 + 2 * 120 + 1, 7 + 3 * 120 - 1, 120])('BUNDLE_LENGTH: %i bytes after the bundle DMX', (len) => {
    const frame = new Uint8Array(len)
    frame.set(DMX)
    expect(isBundle(frame)).toBe(true)
    expectPacketError(() => decodeBundle(frame), 'BUNDLE_LENGTH')
  })

  it('a bundle cut short or with a byte added is BUNDLE_LENGTH', () => {
    const frame = encodeBundle(wires(4))
    expectPacketError(() => decodeBundle(frame.subarray(0, frame.length - 1)), 'BUNDLE_LENGTH')
    const longer = new Uint8Array(frame.length + 1)
    longer.set(frame)
    expectPacketError(() => decodeBundle(longer), 'BUNDLE_LENGTH')
    expect(decodeBundle(frame.subarray(0, frame.length - 120))).toHaveLength(3) // whole entries: fine
  })
})

describe('the WANT marker record that asks for bundles', () => {
  it('an all-zero fid with seq "bund" (0x62756e64)', () => {
    expect(BUNDLE_WANT_SEQ).toBe(0x62756e64)
    expect(Buffer.from('bund').readUInt32BE(0)).toBe(BUNDLE_WANT_SEQ)
    const r = bundleWantRecord()
    expect(hex(r.fid)).toBe('00'.repeat(32))
    expect(r.seq).toBe(BUNDLE_WANT_SEQ)
    expect(isBundleWantRecord(r)).toBe(true)
    r.fid[0] = 1 // a fresh record each time
    expect(isBundleWantRecord(bundleWantRecord())).toBe(true)
  })

  it('not the marker: a zero fid with another seq, a non-zero fid with that seq, a short fid', () => {
    const zero = new Uint8Array(32)
    for (const seq of [0, 1, BUNDLE_WANT_SEQ - 1, BUNDLE_WANT_SEQ + 1, 0xffffffff]) {
      expect(isBundleWantRecord({ fid: zero, seq })).toBe(false)
    }
    for (const i of [0, 17, 31]) {
      const f = new Uint8Array(32)
      f[i] = 1
      expect(isBundleWantRecord({ fid: f, seq: BUNDLE_WANT_SEQ })).toBe(false)
    }
    expect(isBundleWantRecord({ fid, seq: BUNDLE_WANT_SEQ })).toBe(false)
    expect(isBundleWantRecord({ fid: new Uint8Array(31), seq: BUNDLE_WANT_SEQ })).toBe(false)
    expect(isBundleWantRecord({ fid: new Uint8Array(33), seq: BUNDLE_WANT_SEQ })).toBe(false)
  })

  it('encodeWant/decodeWant keep it: fid 00 × 32 ‖ 62756e64 after the real records', () => {
    const records = [{ fid, seq: 3 }, { fid, seq: 4 }, bundleWantRecord()]
    const frame = encodeWant(wantDmx(fid), records)
    expect(hex(frame.subarray(7 + 2 * 36))).toBe('00'.repeat(32) + '62756e64')
    const back = decodeWant(frame).records
    expect(back.map(isBundleWantRecord)).toEqual([false, false, true])
    expect(back.map((r) => [hex(r.fid), r.seq])).toEqual(records.map((r) => [hex(r.fid), r.seq]))
  })
})
