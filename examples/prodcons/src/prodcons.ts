// A tutorial: one producer and one consumer of a tinySSB feed, in one process, over loopback UDP.
// Run it with `pnpm --filter @tinyssb/example-prodcons start` after `pnpm build`.
//
// 1. Every feed is an ed25519 key pair; its public key is the feed ID (fid).
// 2. A feed is an append-only log of 120-byte entries; each entry names its predecessor (prev).
// 3. A consumer holds a "trust anchor" (an empty log for the fid) and asks with WANT requests for
//    the next entries; anyone holding them answers. The producer also pushes each new entry once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { udpUnicastFace } from '@tinyssb/face-udp'
import { appendToFeed, fsBlobStore, fsLogStore, type OwnFeed } from '@tinyssb/repo'
import { createNode } from '@tinyssb/replication'

/**
 * Appends one entry to the producer's own feed (the first one is the genesis entry, seq 1): plain
 * for at most 48 bytes, a sidechain for longer text. The store checks DMX and signature before writing.
 */
async function append(feed: OwnFeed, text: string): Promise<Uint8Array> {
  const { entry } = await appendToFeed(feed, new TextEncoder().encode(text))
  return entry.wire
}

export async function run(entries = 10, log: (s: string) => void = console.log): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-example-'))
  try {
    // Producer: a key pair, a store in dir/producer (_logs/ and _blob/ as in the original).
    const signer = ed25519.signer(crypto.getRandomValues(new Uint8Array(32)))
    const fid = signer.publicKey
    const prodLogs = await fsLogStore({ dir: join(dir, 'producer'), verifier: ed25519, createIfMissing: true })
    const prodBlobs = await fsBlobStore({ dir: join(dir, 'producer'), createIfMissing: true })
    const feed = { logs: prodLogs, blobs: prodBlobs, signer }
    for (let i = 1; i <= entries; i++) await append(feed, `hello #${i}`)

    // Consumer: trusts the producer's feed from its genesis on.
    const consLogs = await fsLogStore({ dir: join(dir, 'consumer'), verifier: ed25519, createIfMissing: true })
    await consLogs.create(fid)

    // Two UDP faces on loopback: the consumer sends to the producer, which learns its peer.
    const prodFace = await udpUnicastFace({ localAddress: '127.0.0.1', localPort: 0 })
    const consFace = await udpUnicastFace({ host: '127.0.0.1', port: prodFace.address().port, localAddress: '127.0.0.1' })

    const producer = createNode({ logs: prodLogs, blobs: prodBlobs, faces: [prodFace], ownFeeds: [fid] })
    const consumer = createNode({ logs: consLogs, faces: [consFace] })
    const done = new Promise<void>((resolve) =>
      consumer.on('append', (e) => {
        log(`consumer got [${e.seq}] of ${toHex(e.fid).slice(0, 16)}…`)
        if (e.seq === entries) resolve()
      }),
    )
    await producer.start()
    await consumer.start() // sends the first WANT: "entries 1.. of fid, please"
    await done

    // Live: a new entry is pushed to the peers once, unasked.
    const wire = await append(feed, 'one more')
    const live = new Promise<void>((resolve) => consumer.on('append', (e) => e.seq === entries + 1 && resolve()))
    await producer.publish(fid, wire)
    await live

    for await (const e of consLogs.entries(fid, entries + 1)) log(`replica [${e.seq}] mid ${toHex(e.mid)}`)
    const held = (await consLogs.info(fid))?.frontSeq ?? 0
    await consumer.stop()
    await producer.stop()
    await Promise.all([prodFace.close(), consFace.close(), prodLogs.close(), consLogs.close()])
    return held
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((n) => console.log(`done: the consumer holds ${n} entries`))
}
