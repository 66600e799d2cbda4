// Reading entries back for display. Appending to a node's own feed is appendToFeed from @tinyssb/repo.
import { ENTRY_TYPE, readSidechainAsync, type BlobStore } from '@tinyssb/packet'

/** What an entry holds, for display: plain bytes, resolved sidechain content, or a missing blob. */
export type EntryContent =
  | { type: 'plain48'; payload: Uint8Array }
  | { type: 'chain20'; length: number; content: Uint8Array }
  | { type: 'chain20'; length: number; missing: Uint8Array; have: number }
  | { type: `unknown-${number}`; payload: Uint8Array }

/** Decodes the content of an entry (its 120 wire bytes), resolving a sidechain through the blob store. */
export async function entryContent(e: { readonly wire: Uint8Array }, blobs: Pick<BlobStore, 'get'>): Promise<EntryContent> {
  const typ = e.wire[7]!
  const payload = e.wire.subarray(8, 56)
  if (typ === ENTRY_TYPE.PLAIN48) return { type: 'plain48', payload }
  if (typ !== ENTRY_TYPE.CHAIN20) return { type: `unknown-${typ}`, payload }
  const r = await readSidechainAsync(payload, (p) => blobs.get(p))
  return r.complete
    ? { type: 'chain20', length: r.length, content: r.content }
    : { type: 'chain20', length: r.length, missing: r.missing, have: r.have }
}
