// One node of a data directory (data/nodeA …): its config, signer, stores. docs/PROTOCOL.md "Data directory".
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BlobStore, SignatureScheme, Signer } from '@tinyssb/packet'
import type { VerifyAhead } from '@tinyssb/replication'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { hmacScheme } from '@tinyssb/packet/hmac'
import { CONFIG_FILE, fsBlobStore, fsLogStore, ownFeedGuard, readNodeConfig, type LogRepair, type NodeConfig, type OwnFeedGuard } from '@tinyssb/repo'
import { equalBytes, toHex } from '@tinyssb/packet'
import { CliError } from './errors.js'
import { fastVerifier } from './fast-verifier.js'
import type { Io } from './io.js'

/** The node names the original demos use. */
export const NODE_NAMES = ['nodeA', 'nodeB', 'nodeC'] as const

/** Which signature scheme a data directory uses: ed25519 (python3) or HMAC-SHA512 (micropython). */
export type SigAlg = 'ed25519' | 'hmac'

export type OpenedLogStore = Awaited<ReturnType<typeof fsLogStore>>

/** An opened node: its config, its signer and its stores. */
export interface OpenedNode {
  readonly name: string
  readonly dir: string
  readonly config: NodeConfig
  readonly scheme: SignatureScheme
  readonly signer: Signer
  readonly logs: OpenedLogStore
  readonly blobs: BlobStore
  /** Collects the repairs of the node's own feed made on open (see own-feed.ts before appending). */
  readonly guard: OwnFeedGuard
  /** Opened read-only: nothing is written (no repair, no append, no record). */
  readonly readOnly: boolean
  /** With `fast` and checking ahead: the store's verifier, for createNode's verifyAhead (undefined otherwise). */
  readonly verifyAhead: VerifyAhead | undefined
  close(): Promise<void>
}

/** The directory of node `name` in data directory `data`, checked to exist. */
export function nodeDir(data: string, name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === '.' || name === '..') {
    throw new CliError('CLI_USAGE', `not a node name: "${name}"`)
  }
  const dir = resolve(data, name)
  if (!existsSync(resolve(data))) {
    throw new CliError('CLI_NOT_FOUND', `no data directory at ${data} (run "tinyssb init" first)`)
  }
  if (!statSync(resolve(data)).isDirectory()) {
    throw new CliError('CLI_NOT_DATA_DIR', `--data ${data} is a file, not a data directory`)
  }
  if (!existsSync(join(dir, CONFIG_FILE))) {
    throw new CliError('CLI_NOT_FOUND', `no node "${name}" in ${data} (no ${join(data, name, CONFIG_FILE)})`)
  }
  return dir
}

/**
 * Refuses a config.json whose feedID is not the public key of its secret (an edited or mixed-up
 * file): signing with it would write entries no peer can verify under that feed ID.
 */
export function checkKeys(dir: string, config: NodeConfig, signer: Signer): void {
  if (!equalBytes(signer.publicKey, config.feedID)) {
    throw new CliError(
      'CLI_KEY_MISMATCH',
      `${join(dir, CONFIG_FILE)}: "feedID" ${toHex(config.feedID).slice(0, 16)}… is not the public key of "secret" (that is ${toHex(signer.publicKey).slice(0, 16)}…); fix or re-create this node's config`,
    )
  }
}

/**
 * The signature scheme for a data directory. HMAC (micropython) needs every seed it verifies:
 * the seeds of all nodes of the data directory are known locally, as in the original demo.
 */
export async function schemeFor(alg: SigAlg, data: string): Promise<SignatureScheme> {
  if (alg === 'ed25519') return ed25519
  const h = hmacScheme()
  for (const n of NODE_NAMES) {
    const dir = join(resolve(data), n)
    if (existsSync(join(dir, CONFIG_FILE))) h.addSeed((await readNodeConfig(dir)).secret)
  }
  return h
}

/** Opens node `name` of data directory `data`. */
export async function openNode(
  data: string,
  name: string,
  opts: {
    alg?: SigAlg
    durable?: boolean
    scheme?: SignatureScheme
    onRepair?: (message: string) => void
    /** For readers (dump, verify): nothing is written, so they may run beside a writer. */
    readOnly?: boolean
    /** For replication: the batches the store appends are checked on worker threads too (fast-verifier.ts). */
    fast?: boolean
  } = {},
): Promise<OpenedNode> {
  const dir = nodeDir(data, name)
  const config = await readNodeConfig(dir)
  const scheme = opts.scheme ?? (await schemeFor(opts.alg ?? 'ed25519', data))
  const signer = scheme.signer(config.secret)
  checkKeys(dir, config, signer)
  const onRepair = opts.onRepair
  // a rewind of the own feed is written to the recovery marker the moment the store reports it
  const guard = ownFeedGuard(config.feedID, { dir })
  const fast = opts.fast ? fastVerifier(scheme) : undefined
  const logs = await fsLogStore({
    dir,
    verifier: fast?.verifier ?? scheme,
    createIfMissing: !opts.readOnly,
    readOnly: opts.readOnly ?? false,
    durable: opts.durable ?? false,
    onRepair: (r: LogRepair) => {
      guard.onRepair(r)
      onRepair?.(describeRepair(name, r, config.feedID))
    },
  })
  const blobs = await fsBlobStore({ dir, createIfMissing: !opts.readOnly, durable: opts.durable ?? false })
  const close = async (): Promise<void> => {
    await logs.close()
    await fast?.close()
  }
  return { name, dir, config, scheme, signer, logs, blobs, guard, readOnly: opts.readOnly ?? false, verifyAhead: fast?.verifyAhead, close }
}

/**
 * A one-line warning for a log repaired on open. A node's own feed moved back is worth a loud one:
 * peers may already hold the lost entries, and a new entry at the same seq would fork the feed.
 */
export function describeRepair(node: string, r: LogRepair, ownFid: Uint8Array): string {
  const own = toHex(r.fid) === toHex(ownFid)
  const what = `${node}: log ${toHex(r.fid).slice(0, 16)}… repaired on open (${r.kind}): front [${r.frontBefore}] → [${r.frontAfter}]`
  return own && r.frontAfter < r.frontBefore ? `${what} — this is ${node}'s own feed: entries after [${r.frontAfter}] are lost locally and may exist at peers; appends wait for "tinyssb log recover"` : what
}

/** An onRepair hook that prints the repair as a warning line on stderr. */
export function repairWarning(io: Io): (message: string) => void {
  return (message) => io.err(`tinyssb: warning: ${message}`)
}

/**
 * Names for feeds: the node names of the data directory (each directory with a config.json), and
 * the first 8 hex digits of any other feed ID.
 */
export async function feedNames(data: string, me: Pick<OpenedNode, 'name' | 'config'>): Promise<(fid: Uint8Array) => string> {
  const known = new Map<string, string>([[toHex(me.config.feedID), me.name]])
  for (const name of readdirSync(resolve(data))) {
    const dir = join(resolve(data), name)
    if (known.size > 1024 || !existsSync(join(dir, CONFIG_FILE))) continue
    try {
      known.set(toHex((await readNodeConfig(dir)).feedID), name)
    } catch {
      // a config that does not parse: its feed is shown by its ID
    }
  }
  return (fid) => known.get(toHex(fid)) ?? toHex(fid).slice(0, 8)
}
