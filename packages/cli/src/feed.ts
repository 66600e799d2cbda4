// Writing to a node's own feed and reading entries back, on top of the store interfaces.
import {
  createChainEntry,
  createPlainEntry,
  ENTRY_TYPE,
  genesisPosition,
  readSidechainAsync,
  type BlobStore,
  type Entry,
  type LogInfo,
  type LogStore,
  type Signer,
  type StoredEntry,
} from '@tinyssb/packet'

/** The position of the next entry of the signer's feed; creates the log (genesis position) if missing. */
async function nextPosition(logs: Pick<LogStore, 'info' | 'create'>, fid: Uint8Array) {
  const info: LogInfo = (await logs.info(fid)) ?? (await logs.create(fid))
  if (info.frontSeq === 0 && info.anchorSeq === 0) return genesisPosition(fid)
  return { fid, seq: info.frontSeq + 1, prev: info.frontMid }
}

/**
 * Appends one entry to the signer's own feed: a plain48 entry, or a chain20 entry whose blobs are
 * stored first (so an entry never points at blobs that are not there). If the feed has no log yet,
 * this entry is its genesis (seq 1, prev = fid[0:20]).
 */
export async function appendOwn(
  logs: Pick<LogStore, 'info' | 'create' | 'append'>,
  blobs: Pick<BlobStore, 'put'>,
  signer: Signer,
  content: Uint8Array,
  chain: boolean,
): Promise<Entry> {
  const pos = await nextPosition(logs, signer.publicKey)
  let entry: Entry
  if (chain) {
    const made = createChainEntry(pos, content, signer)
    for (const b of made.blobs) await blobs.put(b)
    entry = made.entry
  } else {
    entry = createPlainEntry(pos, content, signer)
  }
  await logs.append(pos.fid, pos.seq, entry.wire)
  return entry
}

/** What an entry holds, for display: plain bytes, resolved sidechain content, or a missing blob. */
export type EntryContent =
  | { type: 'plain48'; payload: Uint8Array }
  | { type: 'chain20'; length: number; content: Uint8Array }
  | { type: 'chain20'; length: number; missing: Uint8Array; have: number }
  | { type: `unknown-${number}`; payload: Uint8Array }

/** Decodes the content of a stored entry, resolving a sidechain through the blob store. */
export async function entryContent(e: StoredEntry, blobs: Pick<BlobStore, 'get'>): Promise<EntryContent> {
  const typ = e.wire[7]!
  const payload = e.wire.subarray(8, 56)
  if (typ === ENTRY_TYPE.PLAIN48) return { type: 'plain48', payload }
  if (typ !== ENTRY_TYPE.CHAIN20) return { type: `unknown-${typ}`, payload }
  const r = await readSidechainAsync(payload, (p) => blobs.get(p))
  return r.complete
    ? { type: 'chain20', length: r.length, content: r.content }
    : { type: 'chain20', length: r.length, missing: r.missing, have: r.have }
}
