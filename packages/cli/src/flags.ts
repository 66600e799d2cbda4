// Flags several commands share, each with its help line (see command.ts).
import type { Flag } from './command.js'
import { CliError } from './errors.js'

/** `--data DIR`. */
export const DATA_FLAG = { type: 'string', default: './data', arg: 'DIR', help: 'the data directory, holding nodeA, nodeB and nodeC' } as const satisfies Flag
/** `--node NAME`. */
export const NODE_FLAG = { type: 'string', default: 'nodeA', arg: 'NAME', help: 'the node of the data directory' } as const satisfies Flag
/** `--hmac`. */
export const HMAC_FLAG = {
  type: 'boolean',
  help: 'the micropython variant: HMAC-SHA512 signatures instead of ed25519 (all nodes\' seeds verify)',
} as const satisfies Flag
/** `--timeout SEC`. */
export const TIMEOUT_FLAG = { type: 'string', arg: 'SEC', help: 'stop after SEC seconds', shownDefault: 'none' } as const satisfies Flag
/** `--force` of the commands that append to a node's own feed. */
export const FORCE_APPEND_FLAG = {
  type: 'boolean',
  help: "append even when the own feed's log was cut back, lost or damaged (peers will see a fork); clears the recovery marker",
} as const satisfies Flag
/** `--recover-timeout SEC` of the commands that recover their own feed on start. */
export const RECOVER_TIMEOUT_FLAG = {
  type: 'string',
  arg: 'SEC',
  default: '10',
  help: "on start, when the own feed's log was cut back or lost: how long to wait for peers to send it back",
} as const satisfies Flag
/** `--durability disk|os` of the commands that replicate (see {@link durabilityOption}). */
export const DURABILITY_FLAG = {
  type: 'string',
  arg: 'disk|os',
  default: 'disk',
  help: 'when an entry counts as stored: disk — once on disk (fdatasync, shared by entries arriving together; survives a power loss); os — once the OS holds it (survives a kill, not a power loss)',
} as const satisfies Flag

/** Whether `--durability` asks for durable stores: true for disk (the default), false for os. */
export function durabilityOption(value: string | undefined): boolean {
  if (value === undefined || value === 'disk') return true
  if (value === 'os') return false
  throw new CliError('CLI_USAGE', `--durability expects disk or os, got "${value}"`)
}
