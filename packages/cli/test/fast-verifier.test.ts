// The verifier of the replicating commands: worker threads (and checking ahead when asked) on more
// than one core, the scheme itself otherwise; the same verdicts either way.
import { createPlainEntry, entrySignatureItem, genesisPosition } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { hmacScheme } from '@tinyssb/packet/hmac'
import { describe, expect, it } from 'vitest'
import { fastVerifier } from '../src/fast-verifier.js'

function items(n: number) {
  const signer = ed25519.signer(new Uint8Array(32).fill(3))
  let pos = genesisPosition(signer.publicKey)
  const out = []
  for (let i = 0; i < n; i++) {
    const e = createPlainEntry(pos, new TextEncoder().encode(`e${i}`), signer)
    out.push(entrySignatureItem(pos, e.wire))
    pos = { fid: pos.fid, seq: pos.seq + 1, prev: e.mid }
  }
  return out
}

describe('fastVerifier', () => {
  it('on several cores: checks batches on workers, with the verdicts of the scheme; nothing ahead unless asked', async () => {
    const fast = fastVerifier(ed25519, { cores: 2 })
    try {
      expect(fast.verifyAhead).toBeUndefined()
      expect(fast.verifier).not.toBe(ed25519)
      const all = items(24)
      all[7] = { ...all[7]!, msg: all[8]!.msg } // a signature over other bytes
      const oks = await fast.verifier.verifyMany!(all)
      expect(oks).toEqual(all.map((i) => ed25519.verify(i.sig, i.msg, i.publicKey)))
      expect(oks.filter((ok) => !ok)).toHaveLength(1)
    } finally {
      await fast.close()
    }
  })

  it('with ahead: checks ahead and in batches on workers, with the verdicts of the scheme', async () => {
    const fast = fastVerifier(ed25519, { cores: 2, ahead: true })
    try {
      expect(fast.verifyAhead).toBeDefined()
      const all = items(24)
      all[7] = { ...all[7]!, msg: all[8]!.msg } // a signature over other bytes
      fast.verifyAhead!.prefetch(all.slice(0, 12))
      const oks = await fast.verifier.verifyMany!(all)
      expect(oks).toEqual(all.map((i) => ed25519.verify(i.sig, i.msg, i.publicKey)))
      expect(oks.filter((ok) => !ok)).toHaveLength(1)
    } finally {
      await fast.close()
    }
  })

  it('on one core, or with HMAC: the scheme itself, nothing checked ahead', async () => {
    const one = fastVerifier(ed25519, { cores: 1, ahead: true })
    expect(one.verifier).toBe(ed25519)
    expect(one.verifyAhead).toBeUndefined()
    const h = hmacScheme()
    const mac = fastVerifier(h, { cores: 8, ahead: true })
    expect(mac.verifier).toBe(h)
    expect(mac.verifyAhead).toBeUndefined()
    await one.close()
    await mac.close()
  })
})
