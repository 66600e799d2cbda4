/**
 * @tinyssb/cli — the `tinyssb` command. The functions are exported for scripts and tests.
 * @packageDocumentation
 */
export { main, usage } from './main.js'
export { initDataDir } from './commands/init.js'
export { entryContent, type EntryContent } from './feed.js'
export { openNode, type OpenedNode, NODE_NAMES } from './node-dir.js'
export { CliError, type CliErrorCode } from './errors.js'
export type { Io } from './io.js'
