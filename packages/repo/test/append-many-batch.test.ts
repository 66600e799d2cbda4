// checkAppendManyAsync (the batch check behind appendMany when the verifier checks many at once):
// the valid prefix, and the reason of the first refusal, also for wires that are not 120 bytes.
import { describe, expect, it } from 'vitest'
import type { Verifier } from '@tinyssb/packet'
import { checkAppendManyAsync, newLogInfo } from '../src/log-rules.js'
import { Feed, verifier } from './helpers.js'

const batchVerifier: Verifier = {
  verify: (sig, msg, pk) => verifier.verify(sig, msg, pk),
  verifyMany: async (items) => items.map((i) => verifier.verify(i.sig, i.msg, i.publicKey)),
}

describe('checkAppendManyAsync', () => {
  it.each([
    ['119 bytes', new Uint8Array(119), 'got 119'],
    ['not a byte array', 'x' as unknown as Uint8Array, 'got string'],
  ])('keeps the prefix before a wire of %s and says PACKET_LENGTH', async (_label, bad, got) => {
    const f = new Feed(31)
    const es = f.take(3)
    const r = await checkAppendManyAsync(newLogInfo(f.fid), 1, [es[0]!.wire, es[1]!.wire, bad, es[2]!.wire], batchVerifier)
    expect(r.entries.map((e) => e.seq)).toEqual([1, 2])
    expect(r.entries[1]!.mid).toEqual(es[1]!.mid)
    expect(r.error).toMatchObject({ code: 'PACKET_LENGTH', message: `entry seq 3: expected 120 bytes, ${got}` })
  })

  it('keeps its own copy of the wires: changing the caller buffers afterwards changes nothing', async () => {
    const f = new Feed(32)
    const es = f.take(2)
    const wires = es.map((e) => e.wire.slice())
    const r = await checkAppendManyAsync(newLogInfo(f.fid), 1, wires, batchVerifier)
    wires[0]!.fill(0)
    expect(r.entries.map((e) => e.wire)).toEqual(es.map((e) => e.wire))
  })
})
