import { describe, expect, it } from 'vitest'
import { LruMap } from '../src/lru.js'

describe('LruMap', () => {
  it('evicts the least recently used entry, a repeated get of the most recent one included', () => {
    const m = new LruMap<string, number>(2)
    m.set('a', 1)
    m.set('b', 2)
    expect(m.get('a')).toBe(1)
    expect(m.get('a')).toBe(1) // already the most recent
    expect(m.set('c', 3)).toEqual(['b', 2])
    expect([...m.values()]).toEqual([1, 3])
    expect(m.get('b')).toBeUndefined()
  })

  it('returns the value set last for the most recent key', () => {
    const m = new LruMap<string, number>(3)
    m.set('a', 1)
    expect(m.get('a')).toBe(1)
    m.set('a', 5)
    expect(m.get('a')).toBe(5)
    expect(m.getOrCreate('a', () => 9)).toBe(5)
    expect(m.getOrCreate('z', () => 9)).toBe(9)
    expect(m.size).toBe(2)
  })

  it('with room for one, the newest key replaces the remembered one', () => {
    const m = new LruMap<string, number>(1)
    m.set('a', 1)
    expect(m.get('a')).toBe(1)
    expect(m.set('b', 2)).toEqual(['a', 1])
    expect(m.get('a')).toBeUndefined()
    expect(m.get('b')).toBe(2)
  })
})
