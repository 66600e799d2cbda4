// Imported first by the tinyssb bin (and by bench/catchup.mjs). A catch-up of 10 000 entries lasts
// about a second, and V8's optimizing compiler spends a good part of it (on helper threads, taking
// a core the node needs) compiling the receive path. Two settings make it compile less, and later:
//   --max-inlined-bytecode-size-cumulative=60 (V8's default 920): less inlining, smaller compiled
//     functions (consumer CPU -7-12 % on bench/cli-catchup.mjs);
//   --interrupt-budget=1600000 (V8's default 132 KiB of bytecode run): a function is optimized after
//     running longer in the interpreter and baseline code, so the lukewarm ones of a short catch-up
//     are never optimized and the hot ones get better type feedback first (fewer deoptimizations).
// On bench/catchup.mjs (interleaved rounds, quiet machine) the two took the client from ~1.10 to
// ~0.91 CPU-s per 10 000 entries. Set at run time (they apply to what V8 compiles or allocates from
// then on); a flag given on the command line or in NODE_OPTIONS is left alone.
import { setFlagsFromString } from 'node:v8'

const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`
if (!/max-inlined-bytecode-size/.test(given)) setFlagsFromString('--max-inlined-bytecode-size-cumulative=60')
if (!/interrupt-budget/.test(given)) setFlagsFromString('--interrupt-budget=1600000')
