#!/usr/bin/env node
// Committed entry point, so the bin exists on a fresh install before the build. Without the build
// (dist/), it says what to run instead of printing a module-not-found stack trace.
import './young-gen.js' // the young generation kept small (see there)
import './jit.js' // less inlining: the optimizing compiler takes less CPU from a short catch-up (see there)

// a command that replicates starts its verify workers now: they boot on another core while the CLI
// loads (dist/early-verifier.js; without the build, the import of main.js below says what to do)
let early
try {
  early = await import(new URL('../dist/early-verifier.js', import.meta.url).href)
  await early.startEarlyVerifier(process.argv.slice(2))
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err
}

const entry = new URL('../dist/main.js', import.meta.url)
let main
try {
  ;({ main } = await import(entry.href))
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes(entry.pathname)) throw err
  process.stderr.write(
    'tinyssb: the CLI is not built yet (no dist/main.js): in a checkout of tinyssb-ts run "npm run setup" (installs and builds every package, about a minute the first time)\n',
  )
  process.exit(1)
}
process.exitCode = await main(process.argv.slice(2))
// workers no command took (it failed before opening its node): stopped, the exit does not wait for them to boot
await early?.takeEarlyVerifier()?.close()
