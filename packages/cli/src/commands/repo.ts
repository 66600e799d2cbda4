// `tinyssb repo`: what the original test_repo.py does — open or create the node's own log (genesis
// "hello, first log entry"), append 5 plain entries (48 × the digit of their seq), append one
// sidechain entry longer than 48 bytes, then print every entry with sidechains resolved.
import { PAYLOAD_BYTES } from '@tinyssb/packet'
import { defineCommand } from '../command.js'
import { entryContent } from '../feed.js'
import { DATA_FLAG, FORCE_APPEND_FLAG, HMAC_FLAG, NODE_FLAG } from '../flags.js'
import { openNode, repairWarning } from '../node-dir.js'
import { appendOwn, guardOwnFeed } from '../own-feed.js'
import { describe } from './log.js'

export const repoCommand = defineCommand({
  flags: { data: DATA_FLAG, node: NODE_FLAG, hmac: HMAC_FLAG, force: FORCE_APPEND_FLAG },
  description: [
    "Creates the node's log if needed (genesis entry \"hello, first log entry\"), appends 5 plain entries and one\n" +
      'sidechain entry, and prints every entry. Run it several times: the log grows by 6 entries each time. Like log\n' +
      'append, it refuses to fork the own feed (a log cut back or lost) without --force.',
  ],
  examples: ['tinyssb repo --data demo', 'tinyssb repo --data demo --node nodeB'],
  async run({ values }, io) {
    const node = await openNode(values.data, values.node, { alg: values.hmac ? 'hmac' : 'ed25519', durable: true, onRepair: repairWarning(io) })
    try {
      const enc = new TextEncoder()
      io.out(`node: ${node.config.name}`)
      const fid = node.config.feedID
      await guardOwnFeed(node, values.force ?? false, io)
      if (!(await node.logs.info(fid))) await appendOwn(node, enc.encode('hello, first log entry'))
      for (let i = 0; i < 5; i++) {
        const seq = ((await node.logs.info(fid))?.frontSeq ?? 0) + 1
        // like the original: 48 bytes, each 48+seq (the ASCII digit for small seqs), truncated to a byte
        await appendOwn(node, new Uint8Array(PAYLOAD_BYTES).fill((48 + seq) & 0xff))
      }
      const long = `${new Date().toISOString()} | ${'more than 48 bytes is '.repeat(10)}`
      await appendOwn(node, enc.encode(long), { type: 'chain20' })
      for await (const e of node.logs.entries(fid)) io.out(describe(e.seq, e.mid, await entryContent(e, node.blobs)))
      return 0
    } finally {
      await node.close()
    }
  },
})
