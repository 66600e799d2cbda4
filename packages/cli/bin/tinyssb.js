#!/usr/bin/env node
// Committed entry point, so the bin exists on a fresh install before the build. Without the build
// (dist/), it says what to run instead of printing a module-not-found stack trace.
import './young-gen.js' // the young generation kept small (see there)

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
