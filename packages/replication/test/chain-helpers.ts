// Fixtures for sidechain tests: chain20 entries with real signatures, and a check of what a blob
// store holds of their chains.
import { chainStatus, createChainEntry, type BlobStore, type Entry, type LogStore, type Signer } from '@tinyssb/packet'

/**
 * Appends `n` chain20 entries of `size` content bytes to the signer's feed (the log must exist);
 * their blobs go to `blobs` when given. Returns the entries and their blobs.
 */
export async function appendChains(logs: LogStore, blobs: BlobStore | undefined, signer: Signer, n: number, size: number) {
  const fid = signer.publicKey
  const out: Array<{ entry: Entry; blobs: Uint8Array[] }> = []
  for (let i = 0; i < n; i++) {
    const info = (await logs.info(fid))!
    const content = Uint8Array.from({ length: size }, (_, k) => (k * 13 + i * 7 + 1) & 0xff)
    const made = createChainEntry({ fid, seq: info.frontSeq + 1, prev: info.frontMid }, content, signer)
    if (blobs) for (const b of made.blobs) await blobs.put(b)
    await logs.append(fid, made.entry.seq, made.entry.wire)
    out.push(made)
  }
  return out
}

/** Blobs of the entries' chains missing from `blobs` (0: every chain is complete). */
export async function missingBlobs(blobs: BlobStore, entries: ReadonlyArray<{ entry: Entry; blobs: Uint8Array[] }>): Promise<number> {
  let missing = 0
  for (const e of entries) {
    const s = await chainStatus({ payload48: e.entry.payload }, (p) => blobs.get(p))
    missing += e.blobs.length - s.held
  }
  return missing
}
