// `tinyssb init`: what the original test_init.py does — three nodes with fresh keys, mutual trust
// entries in config.json, empty state.json, _logs/ and _blob/ — but an existing directory is only
// replaced with --force (the original silently ran `rm -rf data`).
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeNodeConfig, writeState, type NodeConfig } from '@tinyssb/repo'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { parse } from '../args.js'
import { CliError } from '../errors.js'
import { NODE_NAMES } from '../node-dir.js'
import type { Io } from '../io.js'

const MSG_ID0 = '616263' // hex of "abc": written like the original, unused

export const INIT_USAGE = 'tinyssb init [--data DIR] [--force]'

/** Creates a fresh data directory; returns the paths created, sorted like `find data | sort`. */
export async function initDataDir(data: string, force: boolean): Promise<string[]> {
  if (existsSync(data) && readdirSync(data).length > 0) {
    if (!force) throw new CliError('CLI_EXISTS', `${data} exists already; use --force to replace it (all its logs and keys are deleted)`)
    await rm(data, { recursive: true, force: true })
  }
  const nodes = NODE_NAMES.map((name) => {
    const secret = new Uint8Array(randomBytes(32))
    return { name, secret, feedID: ed25519.publicKey(secret) }
  })
  for (const n of nodes) {
    const dir = join(data, n.name)
    await mkdir(join(dir, '_blob'), { recursive: true })
    await mkdir(join(dir, '_logs'), { recursive: true })
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
    for (const p of ['', '/_blob', '/_logs', '/config.json', '/state.json']) paths.push(`${data}/${n}${p}`)
  }
  return paths.sort()
}

export async function init(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { data: { type: 'string', default: './data' }, force: { type: 'boolean' } })
  const data = values.data.replace(/\/+$/, '') || '.'
  const paths = await initDataDir(data, values.force ?? false)
  for (const p of paths) io.out(p)
  const nodes = NODE_NAMES.map((n) => n).join(', ')
  io.err(`initialized ${data} with ${nodes} (keys are in each config.json, mode 0600)`)
  return 0
}
