// `tinyssb repo`: what the original test_repo.py does — open or create the node's own log (genesis
// "hello, first log entry"), append 5 plain entries (48 × the digit of their seq), append one
// sidechain entry longer than 48 bytes, then print every entry with sidechains resolved.
import { parse } from '../args.js'
import { appendOwn, entryContent } from '../feed.js'
import type { Io } from '../io.js'
import { openNode, repairWarning } from '../node-dir.js'
import { describe } from './log.js'

export const REPO_USAGE = 'tinyssb repo [--data DIR] [--node NAME]'

export async function repo(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { data: { type: 'string', default: './data' }, node: { type: 'string', default: 'nodeA' }, hmac: { type: 'boolean' } })
  const node = await openNode(values.data, values.node, { alg: values.hmac ? 'hmac' : 'ed25519', durable: true, onRepair: repairWarning(io) })
  try {
    const enc = new TextEncoder()
    io.out(`node: ${node.config.name}`)
    const fid = node.config.feedID
    if (!(await node.logs.info(fid))) {
      await appendOwn(node.logs, node.blobs, node.signer, enc.encode('hello, first log entry'), false)
    }
    for (let i = 0; i < 5; i++) {
      const seq = ((await node.logs.info(fid))?.frontSeq ?? 0) + 1
      // like the original: 48 bytes, each 48+seq (the ASCII digit for small seqs), truncated to a byte
      await appendOwn(node.logs, node.blobs, node.signer, new Uint8Array(48).fill((48 + seq) & 0xff), false)
    }
    const long = `${new Date().toISOString()} | ${'more than 48 bytes is '.repeat(10)}`
    await appendOwn(node.logs, node.blobs, node.signer, enc.encode(long), true)
    for await (const e of node.logs.entries(fid)) io.out(describe(e.seq, e.mid, await entryContent(e, node.blobs)))
    return 0
  } finally {
    await node.close()
  }
}
