// `npm run demo`: the scenario of the original README, on this machine only (multicast bound to
// 127.0.0.1, TTL 1, a random port). Producer A and consumer B replicate; then A stops, C starts
// late and catches up every entry from B alone. Exits 0 once C holds every entry.
import { spawn } from 'node:child_process'
import { openSync, readSync, closeSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, demoRun } from './demo-kit.mjs'
import { ENV } from './run.mjs'

const COUNT = Number(process.env.DEMO_COUNT ?? 20)
const { data, port, children, elapsed, say, tinyssb, waitFor, finish } = demoRun('tinyssb-demo-')
const face = ['--mc', `224.1.1.1/${port}`, '--iface', '127.0.0.1', '--ttl', '1']

function start(tag, args) {
  const child = spawn(process.execPath, [CLI, 'prodcons', '--data', data, ...face, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  const pipe = (stream) => {
    let buf = ''
    stream.setEncoding('utf8')
    stream.on('data', (s) => {
      buf += s
      const lines = buf.split('\n')
      buf = lines.pop()
      for (const l of lines) console.log(`  [${tag}] ${l}`)
    })
  }
  pipe(child.stdout)
  pipe(child.stderr)
  child.exited = new Promise((r) => child.on('exit', (code, signal) => (children.delete(child), r(code ?? (signal ? 128 : 1)))))
  return child
}

/** Front seq of a log, read from its header (bytes 104..107) without opening it as a store. */
function front(node, fidHex) {
  let fd
  try {
    fd = openSync(join(data, node, '_logs', `${fidHex}.log`), 'r')
    const b = Buffer.alloc(4)
    return readSync(fd, b, 0, 4, 104) === 4 ? b.readUInt32BE(0) : 0
  } catch {
    return 0
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

async function stop(child) {
  child.kill('SIGTERM')
  return child.exited
}

async function main() {
  say(`1. tinyssb init: a fresh data directory with nodeA, nodeB, nodeC in ${data}`)
  process.stdout.write(tinyssb(['init', '--data', data]))
  const fidA = JSON.parse(readFileSync(join(data, 'nodeA', 'config.json'), 'utf8')).feedID

  say(`2. producer nodeA (${COUNT} entries, one every 0.2 s) and consumer nodeB, multicast 224.1.1.1/${port} on 127.0.0.1`)
  const a = start('A', ['--interval', '0.2', '--count', String(COUNT)])
  await waitFor('the trust anchors of nodeA', () => front('nodeA', fidA) >= 1)
  const b = start('B', ['--cons', 'nodeB'])
  await waitFor(`nodeB to hold all ${COUNT + 1} entries`, () => front('nodeB', fidA) >= COUNT + 1)
  console.log(`  nodeB holds [1..${front('nodeB', fidA)}] of nodeA's feed`)

  say('3. nodeA stops; nodeC starts late and can only get the entries from nodeB')
  await stop(a)
  const c = start('C', ['--cons', 'nodeC', '--until', String(COUNT + 1), '--timeout', '40'])
  const code = await c.exited
  await stop(b)
  if (code !== 0) throw new Error(`consumer nodeC exited with ${code}`)

  say('4. check: nodeC verifies every log, and holds the same entries as nodeA')
  process.stdout.write(tinyssb(['log', 'verify', '--data', data, '--node', 'nodeC']))
  const dumpA = tinyssb(['log', 'dump', '--data', data, '--node', 'nodeA', '--json'])
  const dumpC = tinyssb(['log', 'dump', '--data', data, '--node', 'nodeC', '--feed', fidA, '--json'])
  if (dumpA !== dumpC) throw new Error('nodeC\'s replica differs from nodeA\'s log')
  const last = dumpC.trim().split('\n').slice(-2)
  for (const l of last) console.log(`  ${l.slice(0, 140)}…`)
  say(`done in ${elapsed()} s: nodeC holds all ${COUNT + 1} entries, identical to nodeA's`)
}

finish(main, 'demo')
