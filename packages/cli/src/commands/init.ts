// `tinyssb init`: what the original test_init.py does — three nodes with fresh keys, mutual trust
// entries in config.json, empty state.json, _logs/ and _blob/ — but an existing directory is only
// replaced with --force, and only when it holds nothing but node directories (the original
// silently ran `rm -rf data`).
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { BLOBS_DIR, CONFIG_FILE, LOGS_DIR, STATE_FILE, writeNodeConfig, writeState, type NodeConfig } from '@tinyssb/repo'
import { defineCommand } from '../command.js'
import { CliError, fsError } from '../errors.js'
import { DATA_FLAG } from '../flags.js'
import { NODE_NAMES } from '../node-dir.js'

const MSG_ID0 = '616263' // hex of "abc": written like the original, unused

/** Entries of an existing directory that are not node directories (a node directory holds config.json). */
function strangers(data: string): string[] {
  return readdirSync(data).filter((name) => {
    const p = join(data, name)
    const isDir = statSync(p).isDirectory()
    return !(isDir && ((NODE_NAMES as readonly string[]).includes(name) || existsSync(join(p, CONFIG_FILE))))
  })
}

/** Refuses what init must not touch; with --force, deletes the node directories of `data` (not `data` itself). */
async function clear(data: string, force: boolean): Promise<void> {
  if (!existsSync(data)) return
  if (!statSync(data).isDirectory()) {
    throw new CliError('CLI_NOT_DATA_DIR', `${data} is a file, not a directory: give --data a directory (it is created if missing)`)
  }
  const entries = readdirSync(data)
  if (entries.length === 0) return
  if (!force) throw new CliError('CLI_EXISTS', `${data} exists already; use --force to replace it (all its logs and keys are deleted)`)
  const others = strangers(data)
  if (others.length > 0) {
    const list = others.slice(0, 3).map((n) => `"${n}"`).join(', ') + (others.length > 3 ? ', …' : '')
    throw new CliError(
      'CLI_NOT_DATA_DIR',
      `${data} does not look like a tinySSB data directory (it holds ${list}): --force only replaces node directories; nothing was deleted`,
    )
  }
  for (const name of entries) {
    try {
      await rm(join(data, name), { recursive: true, force: true })
    } catch (err) {
      throw fsError(`delete ${join(data, name)}`, err)
    }
  }
}

/** Creates a fresh data directory; returns the paths created, sorted like `find data | sort`. */
export async function initDataDir(data: string, force: boolean): Promise<string[]> {
  await clear(data, force)
  const nodes = NODE_NAMES.map((name) => {
    const secret = new Uint8Array(randomBytes(32))
    return { name, secret, feedID: ed25519.publicKey(secret) }
  })
  for (const n of nodes) {
    const dir = join(data, n.name)
    for (const sub of [BLOBS_DIR, LOGS_DIR]) {
      try {
        await mkdir(join(dir, sub), { recursive: true })
      } catch (err) {
        throw fsError(`create ${join(dir, sub)}`, err)
      }
    }
    const cfg: NodeConfig = {
      name: n.name,
      feedID: n.feedID,
      secret: n.secret,
      msgID0: MSG_ID0,
      trusted: nodes.filter((o) => o !== n).map((o) => ({ fid: o.feedID, seq: 0, mid: MSG_ID0 })),
    }
    await writeNodeConfig(dir, cfg)
    await writeState(dir)
  }
  const paths = [data]
  for (const n of NODE_NAMES) {
    for (const p of ['', BLOBS_DIR, LOGS_DIR, CONFIG_FILE, STATE_FILE]) paths.push(p ? `${data}/${n}/${p}` : `${data}/${n}`)
  }
  return paths.sort()
}

export const initCommand = defineCommand({
  flags: {
    data: { ...DATA_FLAG, help: 'the data directory to create' },
    force: {
      type: 'boolean',
      help: 'replace an existing data directory (keys and logs are deleted); refused if it holds anything but node directories',
    },
  },
  description: [
    'Creates DIR/nodeA, nodeB and nodeC, each with fresh ed25519 keys in config.json (mode 0600), the other two\n' +
      'as trusted, an empty state.json, _logs/ and _blob/; prints the tree. A non-empty DIR is refused without --force.',
  ],
  examples: ['tinyssb init --data demo'],
  async run({ values }, io) {
    const data = values.data.replace(/\/+$/, '') || (values.data.startsWith('/') ? '/' : '.')
    const paths = await initDataDir(data, values.force ?? false)
    for (const p of paths) io.out(p)
    io.err(`initialized ${data} with ${NODE_NAMES.join(', ')} (keys are in each config.json, mode 0600)`)
    return 0
  },
})
