// Imported first by the tinyssb bin. A catch-up of 10 000 entries lasts about a second, and V8's
// optimizing compiler spends a good part of it (on a helper thread, taking a core the node needs)
// compiling the receive path with everything it calls inlined. With less inlining
// (--max-inlined-bytecode-size-cumulative=60; V8's default is 920) the compiled functions are
// smaller and compile sooner: on bench/cli-catchup.mjs the consumer used 7-12 % less CPU for the
// same catch-up (interleaved rounds, quiet machine) and bench/catchup.mjs caught up no slower. Set
// at run time (it applies to what V8 compiles from then on); a value given on the command line or
// in NODE_OPTIONS is left alone.
import { setFlagsFromString } from 'node:v8'

if (!/max-inlined-bytecode-size/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) {
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=60')
}
