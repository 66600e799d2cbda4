// The verify workers the bin starts before the CLI loads, for the command lines that replicate on
// worker threads, and their hand-over to fastVerifier.
import { createPlainEntry, entrySignatureItem, genesisPosition } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { afterEach, describe, expect, it } from 'vitest'
import { replicatesOnWorkers, startEarlyVerifier, takeEarlyVerifier } from '../src/early-verifier.js'
import { fastVerifier } from '../src/fast-verifier.js'

afterEach(async () => {
  await takeEarlyVerifier()?.close()
})

describe('replicatesOnWorkers', () => {
  it('a consumer of prodcons and chat, in every spelling of --cons', () => {
    for (const argv of [
      ['prodcons', '--cons', 'nodeB'],
      ['prodcons', '--data', 'd', '--cons=nodeC', '--mc', '239.255.1.1/5000'],
      ['prodcons', '-cons', 'nodeB'],
      ['chat', '--node', 'nodeA'],
      ['chat'],
    ]) {
      expect(replicatesOnWorkers(argv), argv.join(' ')).toBe(true)
    }
  })

  it('not the producer, other commands, HMAC data directories, help, nor a --cons after "--"', () => {
    for (const argv of [
      ['prodcons'],
      ['prodcons', '--data', 'cons'],
      ['log', 'dump', '--cons'],
      ['init'],
      [],
      ['prodcons', '--cons', 'nodeB', '--hmac'],
      ['chat', '-hmac'],
      ['prodcons', '--cons', 'nodeB', '--help'],
      ['chat', '-h'],
      ['prodcons', '--', '--cons'],
    ]) {
      expect(replicatesOnWorkers(argv), argv.join(' ')).toBe(false)
    }
  })
})

describe('startEarlyVerifier', () => {
  it('starts nothing on one core or for a command line that does not replicate', async () => {
    expect(await startEarlyVerifier(['prodcons', '--cons', 'nodeB'], 1)).toBe(false)
    expect(await startEarlyVerifier(['prodcons'], 4)).toBe(false)
    expect(takeEarlyVerifier()).toBeUndefined()
  })

  it('starts a pool once; fastVerifier takes it (once) and checks with the verdicts of the scheme', async () => {
    expect(await startEarlyVerifier(['prodcons', '--cons', 'nodeB'], 2)).toBe(true)
    expect(await startEarlyVerifier(['prodcons', '--cons', 'nodeB'], 2)).toBe(false) // one pool
    const fast = fastVerifier(ed25519)
    try {
      expect(takeEarlyVerifier()).toBeUndefined() // taken
      const signer = ed25519.signer(new Uint8Array(32).fill(9))
      let pos = genesisPosition(signer.publicKey)
      const items = []
      for (let i = 0; i < 20; i++) {
        const e = createPlainEntry(pos, new TextEncoder().encode(`e${i}`), signer)
        items.push(entrySignatureItem(pos, e.wire))
        pos = { fid: pos.fid, seq: pos.seq + 1, prev: e.mid }
      }
      items[3] = { ...items[3]!, msg: items[4]!.msg } // a signature over other bytes
      const oks = await fast.verifier.verifyMany!(items)
      expect(oks).toEqual(items.map((i) => ed25519.verify(i.sig, i.msg, i.publicKey)))
      expect(oks.filter((ok) => !ok)).toHaveLength(1)
      const stats = (fast.verifier as { stats?: { workersStarted: number; itemsOnWorkers: number } }).stats
      expect(stats?.workersStarted).toBe(1) // the early pool's one worker (2 cores), no other
    } finally {
      await fast.close()
    }
  })

  it('fastVerifier told how many cores to count on starts its own pool and leaves the early one', async () => {
    await startEarlyVerifier(['chat'], 2)
    const fast = fastVerifier(ed25519, { cores: 2 })
    try {
      const early = takeEarlyVerifier()
      expect(early).toBeDefined()
      await early?.close()
    } finally {
      await fast.close()
    }
  })
})
