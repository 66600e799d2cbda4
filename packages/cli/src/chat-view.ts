// How `tinyssb chat` shows entries: `[nodeB 12] text`, or one JSON object per line, in seq order
// per feed. A sidechain entry waits (bounded) for its blobs, which travel after the entry; entries
// of the same feed after it wait with it, so a conversation is never shown out of order.
import { toHex, type BlobStore } from '@tinyssb/packet'
import { entryContent, type EntryContent } from './feed.js'
import { stripZeros } from './text.js'

/** An entry to show. */
export interface ChatEntry {
  readonly fid: Uint8Array
  readonly seq: number
  readonly mid: Uint8Array
  readonly wire: Uint8Array
  /** The node's own entry (a line typed here). */
  readonly own?: boolean
}

/** Options of {@link chatView}. */
export interface ChatViewOptions {
  readonly blobs: Pick<BlobStore, 'get'>
  readonly names: (fid: Uint8Array) => string
  readonly json: boolean
  readonly out: (line: string) => void
  /** How long an entry waits for its sidechain's blobs before it is shown incomplete. Default 5000 ms. */
  readonly blobWaitMs?: number
  /** Entries waiting per feed; beyond, the oldest is shown as it is. Default 256. */
  readonly maxWaiting?: number
}

/** The printing side of chat; see {@link chatView}. */
export interface ChatView {
  /** An entry was appended (remote or own). */
  add(e: ChatEntry): void
  /** A blob arrived: entries waiting for it may be shown now. */
  blob(): void
  /** Shows everything still waiting (as it is) and stops the timers. */
  flush(): Promise<void>
}

const decoder = new TextDecoder('utf-8', { fatal: false })

/** Text of a chat entry: UTF-8 with control characters shown as U+FFFD, trailing zero padding removed. */
export function chatText(b: Uint8Array): string {
  // eslint-disable-next-line no-control-regex
  return decoder.decode(b).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd')
}

/** One line (or JSON object) for an entry whose content is `c`. */
export function chatLine(e: ChatEntry, name: string, c: EntryContent, json: boolean): string {
  const bytes = 'content' in c ? c.content : 'payload' in c ? stripZeros(c.payload) : undefined
  if (json) {
    const o: Record<string, unknown> = { event: 'entry', feed: toHex(e.fid), name, seq: e.seq, mid: toHex(e.mid), type: c.type, own: e.own ?? false }
    if (bytes) o.text = chatText(bytes)
    if ('missing' in c) Object.assign(o, { length: c.length, have: c.have, missing: toHex(c.missing) })
    return JSON.stringify(o)
  }
  const text = bytes ? chatText(bytes) : 'missing' in c ? `(sidechain incomplete: ${c.have} of ${c.length} bytes)` : ''
  return `[${name} ${e.seq}] ${text}`
}

/** Shows entries per feed in order, waiting a bounded time for sidechain blobs. */
export function chatView(o: ChatViewOptions): ChatView {
  const waitMs = o.blobWaitMs ?? 5000
  const maxWaiting = o.maxWaiting ?? 256
  const queues = new Map<string, Array<{ e: ChatEntry; since: number }>>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> = Promise.resolve()

  const drain = async (force: boolean): Promise<void> => {
    const now = Date.now()
    for (const [key, q] of queues) {
      while (q.length > 0) {
        const head = q[0]!
        const c = await entryContent(head.e, o.blobs)
        const late = force || now - head.since >= waitMs || q.length > maxWaiting
        if ('missing' in c && !late) break
        q.shift()
        o.out(chatLine(head.e, o.names(head.e.fid), c, o.json))
      }
      if (q.length === 0) queues.delete(key)
    }
    if (timer === undefined && queues.size > 0 && !force) {
      timer = setTimeout(() => {
        timer = undefined
        schedule(false)
      }, waitMs)
    }
  }
  // one drain at a time: entries and blobs arrive while a drain awaits the blob store
  const schedule = (force: boolean): Promise<void> => (running = running.then(() => drain(force)))

  return {
    add(e) {
      const key = toHex(e.fid)
      let q = queues.get(key)
      if (!q) queues.set(key, (q = []))
      q.push({ e, since: Date.now() })
      void schedule(false)
    },
    blob() {
      if (queues.size > 0) void schedule(false)
    },
    async flush() {
      clearTimeout(timer)
      timer = undefined
      await schedule(true)
    },
  }
}
