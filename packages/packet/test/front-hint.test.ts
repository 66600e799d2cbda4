// Front hints: dmx("tinyssb-ts/front") ‖ N × (fid ‖ seq BE32 ‖ mid), and checking one against a log.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  FRONT_HINT_MIN_BYTES,
  checkFrontHint,
  createPlainEntry,
  decodeFrontHint,
  encodeFrontHint,
  frontHintDmx,
  genesisPosition,
  isFrontHint,
  type Entry,
  type FrontHint,
} from '../src/index.js'
import { expectPacketError, hex, utf8 } from './vectors.js'

const DMX = createHash('sha256').update('tinyssb-v0tinyssb-ts/front').digest().subarray(0, 7)
const signer = nodeEd25519.signer(new Uint8Array(32).fill(3))
const fid = signer.publicKey
const log: Entry[] = []
for (let seq = 1, prev = genesisPosition(fid).prev; seq <= 5; seq++) {
  const e = createPlainEntry({ fid, seq, prev }, utf8(`m${seq}`), signer)
  log.push(e)
  prev = e.mid
}
const at = (seq: number) => ({ fid, frontSeq: seq, frontMid: log[seq - 1]!.mid })
const hintOf = (seq: number): FrontHint => ({ fid, seq, mid: log[seq - 1]!.mid })

describe('front hint frames', () => {
  it('encode: dmx ‖ fid ‖ seq BE32 ‖ mid, one or two records (63 or 119 bytes)', () => {
    const one = encodeFrontHint([hintOf(5)])
    expect(hex(one)).toBe(hex(DMX) + hex(fid) + '00000005' + hex(log[4]!.mid))
    expect(hex(frontHintDmx())).toBe(hex(DMX))
    const other = { fid: new Uint8Array(32).fill(9), seq: 0xfffffffe, mid: new Uint8Array(20).fill(7) }
    const two = encodeFrontHint([hintOf(5), other])
    expect(two.length).toBe(119)
    expect(isFrontHint(one) && isFrontHint(two)).toBe(true)
    const back = decodeFrontHint(two)
    expect(back.map((h) => [hex(h.fid), h.seq, hex(h.mid)])).toEqual([hintOf(5), other].map((h) => [hex(h.fid), h.seq, hex(h.mid)]))
    expect(decodeFrontHint(two, 1)).toHaveLength(1)
    expect(decodeFrontHint(two, 7)).toHaveLength(2) // never more than 2
  })

  it('decode: a seq-0 record is left out, a trailing partial record ignored', () => {
    const frame = new Uint8Array(7 + 56 + 56 + 10)
    frame.set(encodeFrontHint([hintOf(1), hintOf(2)]))
    frame.fill(0, 7 + 32, 7 + 36) // the first record's seq → 0
    expect(decodeFrontHint(frame).map((h) => h.seq)).toEqual([2])
  })

  it('errors', () => {
    expectPacketError(() => encodeFrontHint([]), 'FRONT_HINT_RECORDS')
    expectPacketError(() => encodeFrontHint([hintOf(1), hintOf(2), hintOf(3)]), 'FRONT_HINT_RECORDS')
    expectPacketError(() => encodeFrontHint([{ ...hintOf(1), seq: 0 }]), 'PACKET_SEQ')
    expectPacketError(() => encodeFrontHint([{ ...hintOf(1), seq: 2 ** 32 }]), 'PACKET_SEQ')
    expectPacketError(() => encodeFrontHint([{ ...hintOf(1), mid: fid }]), 'PACKET_LENGTH')
    expectPacketError(() => encodeFrontHint([{ ...hintOf(1), fid: fid.subarray(1) }]), 'PACKET_LENGTH')
    const short = encodeFrontHint([hintOf(1)]).subarray(0, FRONT_HINT_MIN_BYTES - 1)
    expect(isFrontHint(short)).toBe(false)
    expectPacketError(() => decodeFrontHint(short), 'FRONT_HINT_LENGTH')
    const wrong = encodeFrontHint([hintOf(1)])
    wrong[0]! ^= 0x80
    expectPacketError(() => decodeFrontHint(wrong), 'FRONT_HINT_DMX')
  })
})

describe('checkFrontHint: progress only, settled when the entry arrives', () => {
  it('ahead → lag; at the hinted seq → confirmed by the mid', () => {
    const hint = hintOf(5)
    expect(checkFrontHint(hint, at(2))).toEqual({ state: 'ahead', lag: 3 })
    expect(checkFrontHint(hint, at(4))).toEqual({ state: 'ahead', lag: 1 })
    expect(checkFrontHint(hint, at(5))).toEqual({ state: 'confirmed' })
  })

  it('a false mid is contradicted once the entry is held', () => {
    const liar = { fid, seq: 3, mid: new Uint8Array(20).fill(1) }
    expect(checkFrontHint(liar, at(1))).toEqual({ state: 'ahead', lag: 2 })
    expect(checkFrontHint(liar, at(3))).toEqual({ state: 'contradicted' })
    expect(checkFrontHint(liar, at(5), log[2]!.mid)).toEqual({ state: 'contradicted' })
  })

  it('past the hinted seq: the mid at that seq settles it, else outdated', () => {
    expect(checkFrontHint(hintOf(3), at(5), log[2]!.mid)).toEqual({ state: 'confirmed' })
    expect(checkFrontHint(hintOf(3), at(5))).toEqual({ state: 'outdated' })
  })

  it('an empty anchored log: the anchor mid is the mid of the anchor seq', () => {
    expect(checkFrontHint(hintOf(2), { fid, frontSeq: 2, frontMid: log[1]!.mid })).toEqual({ state: 'confirmed' })
  })

  it('another feed is unrelated', () => {
    expect(checkFrontHint({ ...hintOf(5), fid: new Uint8Array(32) }, at(1))).toEqual({ state: 'unrelated' })
  })
})
