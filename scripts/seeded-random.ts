// A vitest setup file: Math.random is seeded from each test's full name, so a test that leaves the
// node's jitter to the host (systemRandom) runs the same way every time and a failure reproduces.
// TINYSSB_TEST_SEED=<n> mixes another seed in, to explore other runs of the same tests.
import { deriveSeed, mulberry32 } from '../packages/core/src/prng.js'
import { afterEach, beforeEach, expect } from 'vitest'

const hostRandom = Math.random
const extra = Number(process.env.TINYSSB_TEST_SEED ?? 0) >>> 0

beforeEach(() => {
  const name = expect.getState().currentTestName ?? ''
  Math.random = mulberry32(deriveSeed(extra, name))
})

afterEach(() => {
  Math.random = hostRandom
})
