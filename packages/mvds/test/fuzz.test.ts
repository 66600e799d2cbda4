// Payloads come from the network: decodePayload answers with a payload within the limits or an
// MvdsError — never another exception (seeded, bounded: testkit's FUZZ and mutated()).
import { FUZZ, mutated } from '@tinyssb/testkit'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodePayload, MvdsError } from '../src/index.js'

function typedOrOk(bytes: Uint8Array): void {
  try {
    const p = decodePayload(bytes)
    for (const id of [...p.acks, ...p.offers, ...p.requests]) expect(id.length).toBe(32)
  } catch (err) {
    if (!(err instanceof MvdsError)) throw err
  }
}

describe('decodePayload under fuzzing', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), typedOrOk), FUZZ)
  })

  it('mutated payloads of valid shapes', () => {
    const valid = fc
      .record({
        acks: fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 3 }),
        body: fc.uint8Array({ maxLength: 60 }),
      })
      .map(({ acks, body }) => {
        // hand-built proto3: acks=1 (bytes), messages=4 { group_id=1, timestamp=2, body=3 }
        const parts: number[] = []
        for (const a of acks) parts.push(0x0a, 32, ...a)
        const msg = [0x0a, 4, 1, 2, 3, 4, 0x10, 0x2a, 0x1a, body.length, ...body]
        parts.push(0x22, msg.length, ...msg)
        return Uint8Array.from(parts)
      })
    fc.assert(fc.property(mutated(valid, { extendBytes: 64, splatBytes: 24, edits: 4 }), typedOrOk), FUZZ)
  })

  it('deeply nested length-delimited fields are refused or decoded, never a crash', () => {
    // field 4 (messages) nested in itself 2,000 times: a protobuf "zip bomb" of depth
    let inner = Uint8Array.of(0x1a, 0)
    for (let i = 0; i < 2000 && inner.length < 60_000; i++) {
      const len = inner.length
      const header = len < 128 ? [0x22, len] : [0x22, (len & 0x7f) | 0x80, len >> 7]
      inner = Uint8Array.from([...header, ...inner])
    }
    expect(inner.length).toBeGreaterThan(1000)
    typedOrOk(inner)
  })
})
