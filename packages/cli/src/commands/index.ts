// Every command of `tinyssb`: one entry each. A command module exports a Command made with
// defineCommand (../command.ts); it is loaded only when it runs or shows its help, so `init` never
// loads the network code. `tinyssb --help` lists the entries in this order.
import type { Command } from '../command.js'

/** One command of the registry. */
export interface CommandEntry {
  /** The words after `tinyssb`: `init`, or `log append` (a group `log` with the command `append`). */
  readonly name: string
  /** One line for `tinyssb --help` (and the first line of the command's own help). */
  readonly summary: string
  readonly load: () => Promise<Command>
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', summary: 'create a data directory: nodeA, nodeB, nodeC with fresh keys', load: async () => (await import('./init.js')).initCommand },
  { name: 'repo', summary: "the original test_repo.py: extend a node's log and print it", load: async () => (await import('./repo.js')).repoCommand },
  { name: 'log append', summary: "append one entry to a node's own feed", load: async () => (await import('./log.js')).appendCommand },
  { name: 'log dump', summary: 'print the entries of a log, sidechains resolved', load: async () => (await import('./log.js')).dumpCommand },
  { name: 'log verify', summary: 'check every log of a node: hash chain and signatures (read-only)', load: async () => (await import('./log.js')).verifyCommand },
  { name: 'log repair', summary: 'cut damaged logs back to what verifies, and report what was cut', load: async () => (await import('./log-repair.js')).repairCommand },
  { name: 'log recover', summary: "get the node's own feed back from peers after its log was cut back or lost", load: async () => (await import('./log-repair.js')).recoverCommand },
  { name: 'prodcons', summary: 'the original test_prodcons.py: nodeA produces, nodeB/nodeC replicate', load: async () => (await import('./prodcons.js')).prodconsCommand },
  { name: 'chat', summary: "mutual replication: type lines into a node's feed, see every trusted feed's entries", load: async () => (await import('./chat.js')).chatCommand },
  { name: 'bridge', summary: 'flood every frame between faces, like the tinySSB LoRa bridge', load: async () => (await import('./bridge.js')).bridgeCommand },
  { name: 'sim list', summary: 'name the network simulator\'s built-in scenarios', load: async () => (await import('./sim.js')).simListCommand },
  { name: 'sim compare', summary: 'tinySSB and the MVDS variants side by side on the MVDS scenarios (S1–S6), with a report', load: async () => (await import('./sim-compare.js')).simCompareCommand },
  { name: 'sim', summary: 'run a scenario in the deterministic network simulator over many seeds', load: async () => (await import('./sim.js')).simCommand },
  { name: 'mvds', summary: 'one MVDS node (the Go reference\'s wire) on UDP unicast with one peer', load: async () => (await import('./mvds.js')).mvdsCommand },
]
