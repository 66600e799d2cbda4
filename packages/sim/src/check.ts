// Small checkers for hand-written validation: each throws a ScenarioError that names the field,
// what was expected and what was found, in one line.
import { ScenarioError } from './errors.js'

/** A short rendering of a found value for an error message. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (Array.isArray(v)) return `an array of ${v.length}`
  if (v === null) return 'null'
  if (typeof v === 'object') return 'an object'
  return String(v)
}

export function fail(path: string, expected: string, found: unknown): never {
  throw new ScenarioError(path, found === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${show(found)}`)
}

export type Obj = Record<string, unknown>

/** A plain object whose keys are all in `allowed`. */
export function object(v: unknown, path: string, allowed: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, path === '' ? 'a scenario object' : 'an object', v)
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) throw new ScenarioError(join(path, k), `unknown field (expected one of ${allowed.join(', ')})`)
  }
  return v as Obj
}

/** An object with exactly one key out of `kinds`: `{ "periodic": {...} }`. */
export function variant(v: unknown, path: string, kinds: readonly string[]): [string, unknown] {
  const o = object(v, path, kinds)
  const keys = Object.keys(o)
  if (keys.length !== 1) fail(path, `exactly one of ${kinds.join(', ')}`, keys.length === 0 ? 'an empty object' : `${keys.join(' and ')}`)
  return [keys[0]!, o[keys[0]!]]
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path === '' ? key : `${path}.${key}`
}

export interface NumberRule {
  readonly min?: number
  readonly max?: number
  /** The minimum itself is not allowed. */
  readonly above?: boolean
  readonly int?: boolean
}

export function number(v: unknown, path: string, rule: NumberRule = {}): number {
  const { min = -Infinity, max = Infinity, above = false, int = false } = rule
  const what = [
    int ? 'an integer' : 'a number',
    min > -Infinity ? `${above ? '>' : '≥'} ${min}` : '',
    max < Infinity ? `≤ ${max}` : '',
  ].filter(Boolean).join(' ')
  if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v))) fail(path, what, v)
  if (v < min || (above && v === min) || v > max) fail(path, what, v)
  return v
}

export function optNumber(o: Obj, key: string, path: string, dflt: number, rule: NumberRule = {}): number {
  return o[key] === undefined ? dflt : number(o[key], join(path, key), rule)
}

/** A probability in [0, 1]. */
export function probability(o: Obj, key: string, path: string, dflt: number): number {
  return optNumber(o, key, path, dflt, { min: 0, max: 1 })
}

export function string(v: unknown, path: string, pattern?: RegExp, what = 'a non-empty string'): string {
  if (typeof v !== 'string' || v.length === 0 || (pattern && !pattern.test(v))) fail(path, what, v)
  return v
}

export function array(v: unknown, path: string, maxLength = 1_000_000): unknown[] {
  if (!Array.isArray(v)) fail(path, 'an array', v)
  if (v.length > maxLength) fail(path, `an array of at most ${maxLength}`, v)
  return v
}
