// `node scripts/chat-demo.mjs`: the original's demo 3 ("every node producer and consumer",
// mutual replication) with `tinyssb chat`, on this machine only (multicast bound to 127.0.0.1,
// TTL 1, a random port). nodeC is always online; nodeA and nodeB are never online together, so
// everything between them travels through nodeC. Exits 0 once all three hold the same feeds.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, demoRun } from './demo-kit.mjs'
import { ENV } from './run.mjs'

const { data, port, children, elapsed, say, tinyssb, waitFor, finish } = demoRun('tinyssb-chat-demo-', { pollMs: 50 })
const face = ['--mc', `239.255.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}/${port}`, '--iface', '127.0.0.1', '--ttl', '1']

/** A chat node with its stdin open; its stdout lines are printed with a tag and kept. */
function chat(node) {
  const child = spawn(process.execPath, [CLI, 'chat', '--data', data, '--node', node, ...face, '--want-interval', '1'], {
    env: ENV,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  children.add(child)
  const lines = []
  let buf = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (s) => {
    buf += s
    const parts = buf.split('\n')
    buf = parts.pop()
    for (const l of parts) {
      lines.push(l)
      console.log(`  ${node} | ${l}`)
    }
  })
  let err = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (s) => (err += s))
  const exited = new Promise((r) => child.on('exit', (code, signal) => (children.delete(child), r(code ?? (signal ? 128 : 1)))))
  return {
    type: (line) => child.stdin.write(`${line}\n`),
    has: (text) => lines.includes(text),
    ready: () => /chatting as/.test(err),
    bye: async () => {
      child.stdin.end()
      const code = await exited
      if (code !== 0) throw new Error(`chat ${node} exited with ${code}: ${err}`)
    },
  }
}

async function main() {
  say(`1. tinyssb init: nodeA, nodeB, nodeC in ${data}, each trusting the other two`)
  tinyssb(['init', '--data', data])

  say('2. nodeC comes online and stays; nodeA comes online and says two things, then leaves')
  const c = chat('nodeC')
  await waitFor('nodeC', c.ready)
  const a = chat('nodeA')
  await waitFor('nodeA', a.ready)
  const long = 'a line longer than 48 bytes travels as a sidechain entry: its blobs follow the entry'
  a.type('hello, this is nodeA')
  a.type(long)
  await waitFor('nodeC to hear nodeA', () => c.has('[nodeA 1] hello, this is nodeA') && c.has(`[nodeA 2] ${long}`))
  await a.bye()

  say('3. nodeB comes online (nodeA is gone): nodeA\'s lines reach it through nodeC; nodeB answers, then leaves')
  const b = chat('nodeB')
  await waitFor('nodeB to hear nodeA through nodeC', () => b.has('[nodeA 1] hello, this is nodeA') && b.has(`[nodeA 2] ${long}`))
  b.type('hi nodeA, nodeB here: got both')
  await waitFor('nodeC to hear nodeB', () => c.has('[nodeB 1] hi nodeA, nodeB here: got both'))
  await b.bye()

  say('4. nodeA comes back: nodeB\'s answer reaches it through nodeC')
  const a2 = chat('nodeA')
  await waitFor('nodeA to hear nodeB through nodeC', () => a2.has('[nodeB 1] hi nodeA, nodeB here: got both'))
  await a2.bye()
  await c.bye()

  say('5. check: every node holds both written feeds, identical to their authors\' logs')
  const fid = (n) => JSON.parse(readFileSync(join(data, n, 'config.json'), 'utf8')).feedID
  const dump = (node, author) => tinyssb(['log', 'dump', '--data', data, '--node', node, '--feed', fid(author), '--json'])
  for (const author of ['nodeA', 'nodeB']) {
    for (const node of ['nodeA', 'nodeB', 'nodeC']) {
      if (dump(node, author) !== dump(author, author)) throw new Error(`${node}'s copy of ${author}'s feed differs`)
    }
  }
  for (const node of ['nodeA', 'nodeB', 'nodeC']) tinyssb(['log', 'verify', '--data', data, '--node', node])
  say(`done in ${elapsed()} s: nodeA and nodeB never met, and all three hold the same feeds`)
}

finish(main, 'chat demo')
