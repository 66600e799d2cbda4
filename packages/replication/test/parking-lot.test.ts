import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ParkingLot } from '../src/parking-lot.js'

const item = (n: number) => ({ frame: new Uint8Array([n]) })

describe('ParkingLot', () => {
  it('keeps several frames under one key, oldest first', () => {
    const lot = new ParkingLot<ReturnType<typeof item>>(10)
    const [a, b] = [item(1), item(2)]
    lot.add('k', a)
    lot.add('k', b)
    expect(lot.take('k')).toBe(a)
    expect(lot.take('k')).toBe(b)
    expect(lot.take('k')).toBeUndefined()
    expect(lot.size).toBe(0)
  })

  it('evicts the oldest when full and reports it', () => {
    const lot = new ParkingLot<ReturnType<typeof item>>(2)
    const [a, b, c] = [item(1), item(2), item(3)]
    expect(lot.add('a', a)).toBeUndefined()
    expect(lot.add('b', b)).toBeUndefined()
    expect(lot.add('c', c)).toBe(a)
    expect(lot.remove('a', a.frame)).toBe(false)
    expect(lot.remove('b', b.frame)).toBe(true)
    expect(lot.find((x) => x === c)).toBe(c)
    expect(lot.size).toBe(0)
  })

  it('evicts the oldest of the lowest rank, and turns away a frame ranked below everything parked', () => {
    const lot = new ParkingLot<ReturnType<typeof item>>(3)
    const [a, b, c, d, e] = [item(1), item(2), item(3), item(4), item(5)]
    lot.add('a', a, 2)
    lot.add('b', b, 0)
    lot.add('c', c, 1)
    expect(lot.add('d', d, 1)).toBe(b) // the rank-0 frame goes, though a is older
    expect(lot.add('e', e, 0)).toBe(e) // below everything parked: turned away, not parked
    expect(lot.size).toBe(3)
    expect(lot.take('e')).toBeUndefined()
    expect(lot.add('x', item(6), 1)).toBe(c) // oldest of rank 1
    expect(lot.take('a')).toBe(a) // the rank-2 frame stayed
  })

  it('a ranked lot matches a model of it, whatever the operations (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('add', 'take'), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 })), { maxLength: 200 }),
        (ops) => {
          const lot = new ParkingLot<ReturnType<typeof item>>(5)
          const model: Array<{ key: string; it: ReturnType<typeof item>; rank: number }> = []
          let n = 0
          for (const [op, k, rank] of ops) {
            const key = `k${k}`
            if (op === 'add') {
              const it = item(n++ & 0xff)
              const out = lot.add(key, it, rank)
              if (model.length >= 5) {
                const lowest = Math.min(...model.map((m) => m.rank))
                if (lowest > rank) {
                  expect(out).toBe(it)
                  continue
                }
                const i = model.findIndex((m) => m.rank === lowest)
                expect(out).toBe(model.splice(i, 1)[0]!.it)
              } else expect(out).toBeUndefined()
              model.push({ key, it, rank })
            } else {
              const i = model.findIndex((m) => m.key === key)
              expect(lot.take(key)).toBe(i < 0 ? undefined : model.splice(i, 1)[0]!.it)
            }
            expect(lot.size).toBe(model.length)
          }
        },
      ),
      { seed: 7 },
    )
  })

  it('never holds more than its slots, whatever the operations (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'take', 'remove'), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 50 })), { maxLength: 300 }), (ops) => {
        const lot = new ParkingLot<ReturnType<typeof item>>(8)
        const model: Array<{ key: string; it: ReturnType<typeof item> }> = []
        for (const [op, k, n] of ops) {
          const key = `k${k}`
          if (op === 'add') {
            const it = item(n)
            const ev = lot.add(key, it)
            if (model.length >= 8) expect(ev).toBe(model.shift()!.it)
            model.push({ key, it })
          } else if (op === 'take') {
            const i = model.findIndex((m) => m.key === key)
            expect(lot.take(key)).toBe(i < 0 ? undefined : model.splice(i, 1)[0]!.it)
          } else {
            const m = model.find((x) => x.key === key)
            if (m) {
              expect(lot.remove(key, m.it.frame)).toBe(true)
              model.splice(model.indexOf(m), 1)
            }
          }
          expect(lot.size).toBe(model.length)
          expect(lot.size).toBeLessThanOrEqual(8)
        }
      }),
    )
  })
})
