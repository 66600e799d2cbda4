// The version of this package, read from its package.json (beside src/ and dist/).
import { readFileSync } from 'node:fs'

/** The @tinyssb/cli version, e.g. "0.1.0". */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown }
  return typeof pkg.version === 'string' ? pkg.version : 'unknown'
}
