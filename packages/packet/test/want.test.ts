// want.json: WANT requests, dmx ‖ N × (fid ‖ seq BE32).
import { describe, expect, it } from 'vitest'
import { nodeEd25519 } from '../src/ed25519-node.js'
import { WANT_MIN_BYTES, decodeWant, encodeWant, maxWantRecords, verifyEntry, wantDmx } from '../src/index.js'
import { bytes, expectPacketError, hex, loadVectors, type LogVector } from './vectors.js'

const want = loadVectors<{
  requests: { key_index: number; fid: string; seq: number; dmx: string; wire: string }[]
  responses: { log: string; seq: number; request_wire: string; response_wire: string | null }[]
}>('want.json')
const logs = loadVectors<Record<string, LogVector>>('logfile.json')

describe('want.json requests', () => {
  it.each(want.requests)('encodes and decodes fid $fid seq $seq', (r) => {
    const fid = bytes(r.fid)
    expect(hex(wantDmx(fid))).toBe(r.dmx)
    const wire = encodeWant(wantDmx(fid), [{ fid, seq: r.seq }])
    expect(hex(wire)).toBe(r.wire)
    expect(wire.length).toBe(WANT_MIN_BYTES)
    const d = decodeWant(bytes(r.wire))
    expect(hex(d.dmx)).toBe(r.dmx)
    expect(d.records.map((x) => ({ fid: hex(x.fid), seq: x.seq }))).toEqual([{ fid: r.fid, seq: r.seq }])
  })
})

describe('want.json responses', () => {
  it.each(want.responses)('$log seq $seq: the request decodes; the answer is that log entry', (r) => {
    const log = logs[r.log]!
    const { records } = decodeWant(bytes(r.request_wire))
    expect(records.map((x) => ({ fid: hex(x.fid), seq: x.seq }))).toEqual([{ fid: log.fid, seq: r.seq }])
    const held = log.entries.find((e) => e.seq === r.seq)
    expect(r.response_wire).toBe(held ? held.wire : null)
    if (held) {
      const prev = log.entries.find((e) => e.seq === r.seq - 1)?.mid ?? log.header.anchor_mid
      const e = verifyEntry({ fid: bytes(log.fid), seq: r.seq, prev: bytes(prev) }, bytes(r.response_wire!), nodeEd25519)
      expect(hex(e.mid)).toBe(held.mid)
    }
  })
})

describe('WANT frames', () => {
  const recs = want.requests.map((r) => ({ fid: bytes(r.fid), seq: r.seq }))
  const dmx = wantDmx(recs[0]!.fid)

  it('several records, then a trailing partial record: whole records only', () => {
    const frame = encodeWant(dmx, recs)
    expect(frame.length).toBe(7 + 36 * recs.length)
    for (const extra of [1, 24, 35]) {
      const withTail = new Uint8Array(frame.length + extra).fill(0xee)
      withTail.set(frame)
      const d = decodeWant(withTail)
      expect(hex(d.dmx)).toBe(hex(dmx))
      expect(d.records.map((x) => [hex(x.fid), x.seq])).toEqual(recs.map((x) => [hex(x.fid), x.seq]))
    }
    expect(decodeWant(frame, 2).records).toHaveLength(2)
  })

  it.each([...Array(WANT_MIN_BYTES).keys()])('a %i-byte frame is rejected with WANT_LENGTH', (n) => {
    expectPacketError(() => decodeWant(new Uint8Array(n)), 'WANT_LENGTH')
  })

  it('maxWantRecords', () => {
    expect([0, 42, 43, 78, 79, 120, 255].map(maxWantRecords)).toEqual([0, 0, 1, 1, 2, 3, 6])
  })

  it('encodeWant checks its arguments', () => {
    expectPacketError(() => encodeWant(new Uint8Array(6), recs), 'PACKET_LENGTH')
    expectPacketError(() => encodeWant(dmx, [{ fid: new Uint8Array(31), seq: 1 }]), 'PACKET_LENGTH')
    expectPacketError(() => encodeWant(dmx, [{ fid: recs[0]!.fid, seq: 2 ** 32 }]), 'PACKET_SEQ')
    expect(() => encodeWant(dmx, [])).toThrow(RangeError)
  })
})
