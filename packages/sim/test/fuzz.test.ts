// Scenario files come from users: whatever JSON they hold, parseScenario answers with a scenario or
// a ScenarioError naming the field — never another exception (seeded, bounded: testkit's FUZZ).
import { readFileSync } from 'node:fs'
import { FUZZ } from '@tinyssb/testkit'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SimError } from '../src/errors.js'
import { parseScenario } from '../src/validate.js'

const poc = JSON.parse(readFileSync(new URL('../scenarios/poc.json', import.meta.url), 'utf8')) as Record<string, unknown>
const relay = JSON.parse(readFileSync(new URL('../scenarios/relay.json', import.meta.url), 'utf8')) as Record<string, unknown>

function typedOrOk(raw: unknown): void {
  try {
    parseScenario(raw, 'fuzz')
  } catch (err) {
    if (!(err instanceof SimError)) throw err
    expect(err.message.split('\n')).toHaveLength(1)
  }
}

/** `base` with one field (top level or one level down) replaced by a random JSON value. */
function withField(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base)
  return fc
    .record({ key: fc.constantFrom(...keys), sub: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) })
    .map(({ key, sub, value }) => {
      const copy = structuredClone(base)
      const field = copy[key]
      if (Array.isArray(field) && field.length > 0) field[sub % field.length] = value
      else if (field && typeof field === 'object') {
        const inner = Object.keys(field)
        if (inner.length > 0) (field as Record<string, unknown>)[inner[sub % inner.length]!] = value
        else copy[key] = value
      } else copy[key] = value
      return copy
    })
}

describe('parseScenario under fuzzing', () => {
  it('any JSON value: a scenario or one ScenarioError line', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), typedOrOk), { ...FUZZ, numRuns: 500 })
  })

  it('valid scenarios with one field replaced by random JSON', () => {
    fc.assert(fc.property(fc.oneof(withField(poc), withField(relay)), typedOrOk), FUZZ)
  })

  it('a field nested 5,000 arrays deep is a ScenarioError, not a stack overflow', () => {
    let deep: unknown = 1
    for (let i = 0; i < 5000; i++) deep = [deep]
    for (const key of ['nodes', 'media', 'appends', 'replicate', 'protocol_options', 'topology']) {
      expect(() => parseScenario({ ...poc, [key]: deep }, 'deep')).toThrow(SimError)
    }
  })
})
