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
