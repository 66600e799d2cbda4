// `tinyssb mvds`: one MVDS node (@tinyssb/mvds, byte for byte the Go reference's wire) on UDP
// unicast with one peer. Appends each --send to the group, prints what it receives, and exits 0
// once it has received --until messages from the peer and the peer has ACKed every message it sent.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { udpUnicastFace } from '@tinyssb/face-udp'
import { createMvdsNode, type MvdsStores } from '@tinyssb/mvds'
import { openFsStores } from '@tinyssb/mvds/fs'
import { intOption, numberOption } from '../args.js'
import { defineCommand } from '../command.js'
import { CliError } from '../errors.js'
import { hostPort, portArg } from '../faces.js'
import { TIMEOUT_FLAG } from '../flags.js'
import { untilSignal } from '../signals.js'

/** Epochs a finished node stays up, and the quiet it waits for, so its last ACKs reach the peer. */
const LINGER_EPOCHS = 3
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

export const mvdsCommand = defineCommand({
  flags: {
    'udp-listen': { type: 'string', arg: 'PORT', help: 'the local UDP port' },
    udp: { type: 'string', arg: 'HOST/PORT', help: 'the peer' },
    group: { type: 'string', arg: 'HEX', help: 'the group id: 32 bytes in hex (fewer digits are left-padded with zeros)' },
    mode: { type: 'string', arg: 'MODE', default: 'batch', help: 'batch (MESSAGE, ACK) or interactive (OFFER, REQUEST, MESSAGE, ACK)' },
    send: { type: 'string', multiple: true, arg: 'TEXT', help: 'append TEXT to the group (timestamp: Unix seconds)' },
    until: { type: 'string', arg: 'N', help: 'exit 0 after receiving N messages (and every sent one is ACKed)', shownDefault: '0' },
    timeout: { ...TIMEOUT_FLAG, help: 'exit 1 after SEC seconds, saying what is missing' },
    epoch: { type: 'string', arg: 'MS', default: '300', help: 'epoch length (status-go: 300, the Go simulator: 1000)' },
    data: { type: 'string', arg: 'DIR', help: 'keep messages and sync state in DIR (crash-safe journal)', shownDefault: 'memory only' },
    json: { type: 'boolean', help: 'print each received message as one JSON line {"id", "body", "timestamp"}' },
  },
  description: [
    'One MVDS node on UDP unicast with one peer, speaking the wire of the Go reference vacp2p/mvds (status-go). ' +
      'Without --send or --until it runs until Ctrl-C or --timeout.',
  ],
  examples: [
    'tinyssb mvds --udp-listen 7001 --udp 127.0.0.1/7002 --group 01 --send hello --until 1',
    'tinyssb mvds --udp-listen 7002 --udp 127.0.0.1/7001 --group 01 --mode interactive --send hi --until 1 --json',
  ],
  async run({ values: v }, io) {
    if (v['udp-listen'] === undefined || v.udp === undefined || v.group === undefined) {
      throw new CliError('CLI_USAGE', 'mvds needs --udp-listen PORT, --udp HOST/PORT and --group HEX')
    }
    const localPort = portArg(v['udp-listen'], '--udp-listen')
    const peer = hostPort(v.udp, '--udp')
    if (!/^[0-9a-fA-F]{1,64}$/.test(v.group)) throw new CliError('CLI_USAGE', `--group expects up to 64 hex digits (32 bytes), got "${v.group}"`)
    const groupHex = v.group.toLowerCase().padStart(64, '0')
    const group = new Uint8Array(Buffer.from(groupHex, 'hex'))
    if (v.mode !== 'batch' && v.mode !== 'interactive') throw new CliError('CLI_USAGE', `--mode expects batch or interactive, got "${v.mode}"`)
    const mode = v.mode
    const until = intOption(v.until, 'until', 0)
    const epochMs = numberOption(v.epoch, 'epoch', 300, 1)
    const timeout = v.timeout === undefined ? undefined : numberOption(v.timeout, 'timeout', 0)
    const sends = v.send ?? []
    const goal = until > 0 || sends.length > 0

    // The peer's PeerId is the face's 'udp:ADDRESS:PORT' of its datagrams: resolve names first.
    const address = isIP(peer.host) ? peer.host : (await lookup(peer.host, { family: 4 }).catch(() => undefined))?.address
    if (address === undefined) throw new CliError('CLI_USAGE', `--udp: cannot resolve "${peer.host}"`)
    const loopback = address.startsWith('127.')
    const face = await udpUnicastFace({ host: address, port: peer.port, localPort, localAddress: loopback ? '127.0.0.1' : '0.0.0.0' })
    let stores: MvdsStores | undefined
    try {
      stores = v.data === undefined ? undefined : openFsStores({ dir: v.data, createIfMissing: true })
    } catch (err) {
      await face.close()
      throw new CliError('CLI_IO', `cannot open --data ${v.data}: ${(err as Error).message}`, { cause: err })
    }
    const node = createMvdsNode({ faces: [face], mode, epochMs, ...(stores ? { stores } : {}) })
    const them = { face, id: `udp:${address}:${peer.port}` }
    node.addPeer(group, them)

    const received = new Set<string>()
    const acked = new Set<string>()
    const sent: string[] = []
    let lastFrameAt = Date.now()
    let framesIn = 0
    let finish: (why: string) => void = () => {}
    const finished = new Promise<string>((resolve) => (finish = resolve))
    const complete = (): boolean => goal && received.size >= until && sent.every((id) => acked.has(id))

    node.subscribe(({ id, message }) => {
      const key = hex(id)
      if (received.has(key)) return
      received.add(key)
      const body = new TextDecoder().decode(message.body)
      if (v.json) io.out(`{"id":${JSON.stringify(key)},"body":${JSON.stringify(body)},"timestamp":${message.timestamp.toString()}}`)
      else io.out(`${key.slice(0, 16)}… ${message.timestamp}: ${body}`)
    })
    node.onAck((id) => void acked.add(hex(id)))
    for (const text of sends) sent.push(hex(node.append(group, new TextEncoder().encode(text), { timestamp: BigInt(Math.floor(Date.now() / 1000)) })))
    const status = (line: string): void => (v.json ? undefined : io.out(line)) // stdout stays JSON-only with --json
    status(`mvds ${mode} on ${face.name} (local port ${localPort}), group ${groupHex.slice(0, 16)}…, epoch ${epochMs} ms`)

    // Done: stay until a few quiet epochs have passed (the peer may still need our ACKs).
    const poll = setInterval(() => {
      if (node.stats.framesIn !== framesIn) (framesIn = node.stats.framesIn), (lastFrameAt = Date.now())
      if (complete() && Date.now() - lastFrameAt >= LINGER_EPOCHS * epochMs) finish('goal')
    }, Math.max(10, epochMs / 2))
    const wait = untilSignal(timeout)
    try {
      const why = await Promise.race([finished, wait.done])
      if (why === 'timeout' && goal && !complete()) {
        const missing = [
          received.size < until ? `received ${received.size} of ${until} messages` : '',
          sent.some((id) => !acked.has(id)) ? `${sent.filter((id) => !acked.has(id)).length} of ${sent.length} sent messages not acknowledged by the peer` : '',
        ].filter(Boolean)
        throw new CliError('CLI_TIMEOUT', `--timeout ${timeout}s: ${missing.join('; ')}`)
      }
      status(`${why === 'goal' ? 'done' : why}: received ${received.size}, sent ${sent.length} (${acked.size} acknowledged)`)
      return 0
    } finally {
      clearInterval(poll)
      wait.cancel()
      await node.close()
      await face.close()
    }
  },
})
