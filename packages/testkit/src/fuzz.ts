// Shared fuzz-test parameters and a byte mutator for fast-check properties.
//
// This module imports fast-check and nothing else on purpose: @tinyssb/packet's own fuzz test
// imports this source file directly (packet cannot take @tinyssb/testkit as a dev dependency,
// because testkit depends on packet: that would be a cycle in the workspace build graph). Keep it
// free of @tinyssb imports so that direct import stays a plain test-only file.
import fc from 'fast-check'

/**
 * fast-check parameters of the fuzz tests: seeded (`TINYSSB_FUZZ_SEED=<n>` explores another seed;
 * a failure prints the seed and path to replay it), 1000 runs, and a 4 s time limit per property
 * (a slow machine gets fewer runs, not a failure). Spread it to change one field:
 * `{ ...FUZZ, numRuns: 300 }`.
 */
export const FUZZ = {
  seed: Number(process.env.TINYSSB_FUZZ_SEED ?? 1304),
  numRuns: 1000,
  interruptAfterTimeLimit: 4000, // ms: bounded on a slow machine (fewer runs, not a failure)
  markInterruptAsFailure: false,
}

/** How far {@link mutated} changes its input (defaults: a frame-sized input). */
export interface MutationLimits {
  /** Most bytes one "extend" edit appends (default 40). */
  readonly extendBytes?: number
  /** Most bytes one "splat" edit overwrites (default 16). */
  readonly splatBytes?: number
  /** Most edits applied to one input (default 3; at least one is always applied). */
  readonly edits?: number
}

/**
 * `base` changed by 1 to `limits.edits` edits: a byte flipped, the input cut short, extended, or a
 * stretch overwritten. For fuzzing parsers with input that is nearly valid.
 */
export function mutated(base: fc.Arbitrary<Uint8Array>, limits: MutationLimits = {}): fc.Arbitrary<Uint8Array> {
  const { extendBytes = 40, splatBytes = 16, edits = 3 } = limits
  const edit = fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('extend' as const), more: fc.uint8Array({ minLength: 1, maxLength: extendBytes }) }),
    fc.record({ op: fc.constant('splat' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: splatBytes }) }),
  )
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: edits })).map(([b, list]) => {
    let out = b.slice()
    for (const e of list) {
      if (e.op === 'extend') out = new Uint8Array([...out, ...e.more])
      else if (out.length === 0) continue
      else if (e.op === 'flip') out[e.at % out.length]! ^= e.x
      else if (e.op === 'cut') out = out.slice(0, e.at % out.length)
      else out.set(e.bytes.subarray(0, out.length - (e.at % out.length)), e.at % out.length)
    }
    return out
  })
}
