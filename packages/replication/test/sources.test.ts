// Source ranks alone: useful for a while after a valid entry, suspect after many wasted frames.
import { fakeClock, type Face } from '@tinyssb/core'
import { describe, expect, it } from 'vitest'
import { RANK_SUSPECT, RANK_UNKNOWN, RANK_USEFUL, SourceRanks } from '../src/sources.js'

const face: Face = { name: 'f', mtu: 1400, send: async () => {}, onFrame: () => () => {}, close: async () => {} }

describe('source ranks', () => {
  it('unknown, then useful after a vouch for usefulMs, suspect after suspectAfter wasted frames', () => {
    const clock = fakeClock()
    const r = new SourceRanks(clock, { usefulMs: 1000, suspectAfter: 3, maxSources: 4 })
    expect(r.rank(face, 'a')).toBe(RANK_UNKNOWN)
    r.vouch(face, 'a')
    for (let i = 0; i < 10; i++) r.wasted(face, 'a')
    expect(r.rank(face, 'a')).toBe(RANK_USEFUL) // useful wins while it lasts
    clock.advance(1001)
    expect(r.rank(face, 'a')).toBe(RANK_SUSPECT)
    r.vouch(face, 'a') // a valid entry clears the record
    clock.advance(1001)
    expect(r.rank(face, 'a')).toBe(RANK_UNKNOWN)
    for (let i = 0; i < 3; i++) r.wasted(face, 'b')
    expect(r.rank(face, 'b')).toBe(RANK_SUSPECT)
    // bounded: after four other sources, b is forgotten (unknown again)
    for (const p of ['c', 'd', 'e', 'g']) r.rank(face, p)
    expect(r.rank(face, 'b')).toBe(RANK_UNKNOWN)
  })
})
