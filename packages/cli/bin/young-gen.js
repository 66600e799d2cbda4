// Imported first by the tinyssb bin, and by the node bench/many-feeds.mjs measures (BENCH_YOUNG_GEN=0
// measures without it). A node holding thousands of logs
// builds its replica table while it serves, and V8 grows the young generation for that to its
// maximum (two 16 MiB semi-spaces) though the live heap stays ~22 MiB. Keeping it at its initial
// size took the peak RSS of a node replicating 10 000 logs from ~130 to ~100 MiB, with the
// catch-up rate unchanged within noise (bench/cli-catchup.mjs and bench/catchup.mjs, interleaved).
// The growth factor is set at run time: unlike --max-semi-space-size it takes effect then (and
// given on the command line it did not). Node flags that set the young generation themselves
// (--max-semi-space-size, --semi-space-growth-factor, also in NODE_OPTIONS) are left alone.
import { setFlagsFromString } from 'node:v8'

if (!/semi-space/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) {
  setFlagsFromString('--semi-space-growth-factor=1')
}
