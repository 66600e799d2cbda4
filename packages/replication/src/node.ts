// The tinySSB node (PROTOCOL.md "The WANT protocol"): a DMX table routes each frame — the next entry
// of a replica, or a WANT for a log held — before any signature work; a blob table catches sidechain
// blobs by hash. Replicas ask ahead for a window of entries and retransmit with backoff.
import {
  BLOB_BYTES,
  DMX_BYTES,
  ENTRY_TYPE,
  MAX_SEQ,
  PACKET_BYTES,
  blobPointer,
  decodeWant,
  entryMid,
  encodeWant,
  firstBlobPointer,
  maxWantRecords,
  nextBlobPointer,
  nextDmx,
  toHex,
  wantDmx,
  type LogInfo,
  type WantRecord,
} from '@tinyssb/packet'
import { soon, systemClock, systemRandom, type Face } from '@tinyssb/core'
import { Emitter } from './events.js'
import { bkey } from './keys.js'
import {
  LIVE_WANT_RECORDS,
  MAX_BLOBS_PER_ENTRY,
  MAX_EXPECTED_BLOBS,
  MAX_CHAIN_BATCH,
  MAX_INBOX,
  MAX_WANT_RECORDS,
  PARKING_SLOTS,
  RETRY_MIN_MS,
  SERVE_BURST,
  SERVE_DEDUP_MS,
  SERVE_RATE,
  WANT_INTERVAL_MS,
  SMALL_FACE_MTU,
  SMALL_FACE_WANT_BYTES,
  WANT_BYTES,
  WANT_WINDOW,
  type NodeOptions,
} from './options.js'
import { ParkingLot } from './parking-lot.js'
import { TokenBucket } from './rate-limit.js'
import { countDrop, faceCounters, newStats, type NodeStats } from './stats.js'

/** Events of a node. */
export interface NodeEvents extends Record<string, unknown> {
  /** An entry was appended to a replica (remote) or published (local). */
  append: { fid: Uint8Array; seq: number; mid: Uint8Array; source: 'remote' | 'local'; face?: string }
  /** A replica got nothing new for a whole retransmission round after making progress. */
  'caught-up': { fid: Uint8Array; seq: number }
  /** A sidechain blob was stored. */
  blob: { ptr: Uint8Array }
  /** A frame was dropped (also counted in stats.dropped). */
  drop: { reason: string; face: string }
}

/** A running node. */
export interface TinyNode {
  readonly stats: NodeStats
  /** Loads the logs, arms the tables, subscribes to the faces and sends the first WANTs. */
  start(): Promise<void>
  /** Stops timers and unsubscribes from the faces (it does not close them). Idempotent. */
  stop(): Promise<void>
  /**
   * Sends a new entry of an own feed once on all faces (after the app appended it to the store),
   * followed by its sidechain blobs if given; serves WANTs for that feed from now on.
   */
  publish(fid: Uint8Array, wire: Uint8Array, blobs?: readonly Uint8Array[]): Promise<void>
  /** Starts replicating (or, for own feeds, serving) a log created after start(). */
  track(fid: Uint8Array): Promise<void>
  /** The replica state of a feed: front seq, or undefined when not tracked. */
  front(fid: Uint8Array): number | undefined
  on<K extends keyof NodeEvents>(name: K, fn: (ev: NodeEvents[K]) => void): () => void
  /** Resolves when every received frame so far has been processed (for tests and tools). */
  idle(): Promise<void>
  /** What the node holds right now; each is bounded (MAX_INBOX, PARKING_SLOTS, MAX_EXPECTED_BLOBS). */
  queues(): { inbox: number; parked: number; expectedBlobs: number; replicas: number }
}

interface Replica {
  readonly fid: Uint8Array
  front: LogInfo
  dmxKey: string | undefined
  /** Highest seq asked for in the current round. */
  requestedUpTo: number
  rto: number
  timer: unknown
  progressed: boolean
  /**
   * At the live edge: the last round delivered and then nothing more came. A live replica asks like
   * the original — a small WANT for front+1 right after each append, and again every want interval —
   * instead of a whole window after every pushed entry.
   */
  live: boolean
  /**
   * When the last entry was appended. Two appends within retryMin while live mean a backlog is
   * coming in (answers to a WANT arrive at once; a producer pushes one entry per interval).
   */
  lastAppendAt: number
}

interface Parked {
  readonly frame: Uint8Array
  readonly face: Face
  /** The blob pointer the frame would have as a blob, computed only when a blob is expected. */
  ptr?: string
}

type Handler = (frame: Uint8Array, face: Face) => Promise<void> | void

/**
 * Creates a node over the given store and faces.
 * @example
 * ```ts
 * const node = createNode({ logs, blobs, faces: [face], ownFeeds: [myFid] })
 * await node.start()
 * node.on('append', (e) => console.log('got', e.seq))
 * ```
 */
export function createNode(opts: NodeOptions): TinyNode {
  const clock = opts.clock ?? systemClock
  const random = opts.random ?? systemRandom
  const logs = opts.logs
  const blobs = opts.blobs
  const faces = [...opts.faces]
  const own = new Set((opts.ownFeeds ?? []).map(bkey))
  const wantInterval = opts.wantIntervalMs ?? WANT_INTERVAL_MS
  const retryMin = Math.min(opts.retryMinMs ?? RETRY_MIN_MS, wantInterval)
  const window = Math.max(1, opts.window ?? WANT_WINDOW)
  const maxWindow = Math.max(1, ...opts.faces.map((f) => faceWindow(f)))
  const stats = newStats()
  const events = new Emitter<NodeEvents>()

  const dmxTable = new Map<string, Handler>()
  const blobTable = new Map<string, Uint8Array>() // pointer → pointer (expected blobs)
  const replicas = new Map<string, Replica>()
  const served = new Set<string>() // feeds with a WANT handler
  const parking = new ParkingLot<Parked>(PARKING_SLOTS)
  const buckets = new Map<Face, TokenBucket>()
  const recentlySent = new Map<Face, Map<string, number>>()
  const unsubscribe: Array<() => void> = []
  let inbox: Array<{ frame: Uint8Array; face: Face }> = []
  let draining: Promise<void> | undefined
  let running = false

  function drop(reason: string, face: Face): void {
    countDrop(stats, reason)
    events.emit('drop', { reason, face: face.name })
  }

  async function send(face: Face, frame: Uint8Array): Promise<void> {
    if (frame.length > face.mtu) return
    const c = faceCounters(stats, face.name)
    c.framesOut++
    c.bytesOut += frame.length
    try {
      await face.send(frame)
    } catch {
      countDrop(stats, 'SEND_FAILED')
    }
  }

  // ---- receiving ---------------------------------------------------------------------------

  function receive(frame: Uint8Array, face: Face): void {
    const c = faceCounters(stats, face.name)
    c.framesIn++
    c.bytesIn += frame.length
    if (!running) return
    if (inbox.length >= MAX_INBOX) return drop('INBOX_FULL', face)
    inbox.push({ frame, face })
    // Drain on the next macrotask, not now: a burst of frames (want-ahead answers) then lands in
    // the inbox together and a chain of entries is checked and written as one batch.
    if (!draining) draining = new Promise<void>((resolve) => soon(clock, () => void drain().then(resolve)))
  }

  async function drain(): Promise<void> {
    try {
      while (inbox.length > 0) {
        const batch = inbox
        inbox = []
        // Entries that do not match yet are parked first: when the entry before them arrives in
        // the same batch (want-ahead answers come in bursts), the chain is appended in one go.
        const parkedNow = new Set<Uint8Array>()
        for (const { frame, face } of batch) {
          if (frame.length !== PACKET_BYTES) continue
          const k = bkey(frame.subarray(0, DMX_BYTES))
          if (dmxTable.has(k)) continue
          park(k, { frame, face })
          parkedNow.add(frame)
        }
        for (const { frame, face } of batch) {
          try {
            if (!parkedNow.has(frame)) await dispatch(frame, face)
            else if (unparkFrame(frame)) await dispatch(frame, face)
            // else: used in a chain (or a blob) meanwhile, or evicted (counted then)
          } catch (err) {
            drop(codeOf(err), face)
          }
        }
      }
    } finally {
      draining = undefined
    }
  }

  async function dispatch(frame: Uint8Array, face: Face): Promise<void> {
    if (frame.length < DMX_BYTES) return drop('SHORT', face)
    const h = dmxTable.get(bkey(frame.subarray(0, DMX_BYTES)))
    if (h) return h(frame, face)
    if (frame.length === BLOB_BYTES && blobTable.size > 0) {
      const ptr = bkey(blobPointer(frame))
      if (blobTable.has(ptr)) return storeBlob(frame, ptr)
    }
    // a 120-byte frame may be an answer that arrived early: kept (and counted as NO_DMX only if it
    // is evicted unused); anything else that matches nothing is dropped now
    if (frame.length === PACKET_BYTES) return park(bkey(frame.subarray(0, DMX_BYTES)), { frame, face })
    drop('NO_DMX', face)
  }

  /** Keeps a frame that matched nothing, in case its expectation is armed soon (want-ahead, reordering). */
  function park(k: string, p: Parked): void {
    const evicted = parking.add(k, p)
    if (evicted) drop('NO_DMX', evicted.face) // never matched anything while it was kept
  }

  /** Takes `frame` out of the parking lot; false when it is no longer there (used or evicted). */
  function unparkFrame(frame: Uint8Array): boolean {
    return parking.remove(bkey(frame.subarray(0, DMX_BYTES)), frame)
  }

  /** The oldest frame parked under `dmxKey` (an expectation that was just armed). */
  function unparkDmx(dmxKey: string): Parked | undefined {
    return parking.take(dmxKey)
  }

  // ---- blobs ---------------------------------------------------------------------------------

  async function expectBlob(ptr: Uint8Array | undefined): Promise<void> {
    if (!blobs || !ptr) return
    const k = bkey(ptr)
    if (blobTable.has(k)) return
    const have = await blobs.get(ptr).catch(() => undefined)
    if (have) return expectBlob(nextBlobPointer(have))
    if (blobTable.size >= MAX_EXPECTED_BLOBS) blobTable.delete(blobTable.keys().next().value!) // oldest first
    blobTable.set(k, ptr.slice())
    const p = parking.find((q) => (q.ptr ??= bkey(blobPointer(q.frame))) === k)
    if (p) return storeBlob(p.frame, k)
  }

  async function storeBlob(blob: Uint8Array, k: string): Promise<void> {
    blobTable.delete(k)
    if (!blobs) return
    const ptr = await blobs.put(blob)
    stats.blobsStored++
    events.emit('blob', { ptr })
    await expectBlob(nextBlobPointer(blob))
  }

  // ---- replicas ------------------------------------------------------------------------------

  function armReplica(r: Replica): void {
    if (r.dmxKey) dmxTable.delete(r.dmxKey)
    r.dmxKey = undefined
    if (r.front.frontSeq >= 0xffffffff) return
    const k = bkey(nextDmx(r.fid, r.front.frontSeq, r.front.frontMid))
    r.dmxKey = k
    dmxTable.set(k, (frame, face) => onEntry(r, frame, face))
  }

  async function onEntry(r: Replica, frame: Uint8Array, face: Face): Promise<void> {
    if (frame.length !== PACKET_BYTES) return drop('PACKET_LENGTH', face)
    // Follow the chain through parked frames by DMX alone (cheap hashing); the store then checks
    // every signature and appends the valid prefix in one write.
    const seq = r.front.frontSeq + 1
    const chain: Parked[] = [{ frame, face }]
    const mids: Uint8Array[] = []
    let prev = r.front.frontMid
    for (let s = seq; ; s++) {
      const mid = entryMid({ fid: r.fid, seq: s, prev }, chain[chain.length - 1]!.frame)
      mids.push(mid)
      if (chain.length >= MAX_CHAIN_BATCH || s >= MAX_SEQ) break
      const next = unparkDmx(bkey(nextDmx(r.fid, s, mid)))
      if (!next) break
      chain.push(next)
      prev = mid
    }
    const before = r.front.frontSeq
    let error: unknown
    if (logs.appendMany) {
      const res = await logs.appendMany(r.fid, seq, chain.map((c) => c.frame))
      r.front = res.info
      error = res.error
    } else {
      for (const c of chain) {
        try {
          r.front = await logs.append(r.fid, r.front.frontSeq + 1, c.frame) // verifies DMX and signature
        } catch (err) {
          error = err
          break
        }
      }
    }
    const appended = r.front.frontSeq - before
    if (appended < chain.length) {
      // the first refused entry is dropped; the ones after it chained on it and are worthless
      drop(codeOf(error), chain[appended]!.face)
    }
    if (appended === 0) return
    stats.appended += appended
    r.progressed = true
    // A backlog is coming in, not the producer's pushes one by one, when several entries come at
    // once or two within retryMin: then want-ahead again.
    const now = clock.now()
    if (appended >= 2 || now - r.lastAppendAt <= retryMin) r.live = false
    r.lastAppendAt = now
    armReplica(r)
    for (let i = 0; i < appended; i++) {
      const c = chain[i]!
      events.emit('append', { fid: r.fid, seq: before + 1 + i, mid: mids[i]!, source: 'remote', face: c.face.name })
      if (c.frame[7] === ENTRY_TYPE.CHAIN20) await expectBlob(firstBlobPointer(c.frame.subarray(8, 56)))
    }
    if (r.live) {
      // the original's rhythm: ask for what follows right after each append, and every interval
      sendLiveWant(r)
      restartTimer(r, wantInterval)
      return
    }
    // catching up: ask ahead before the window runs dry; never re-ask what is still in flight
    if (r.requestedUpTo - r.front.frontSeq <= Math.floor(maxWindow / 2)) {
      sendWants(r, Math.max(r.requestedUpTo, r.front.frontSeq) + 1)
    }
    restartTimer(r, retryMin)
  }

  /**
   * Sends WANTs for seqs `from` … front + window on every face. WANT frames stay small enough for
   * the Python reference (and LoRa); a LoRa-sized face asks for one frame's worth per round, a
   * probe (retransmission) asks with one frame on every face, and a live replica asks for
   * LIVE_WANT_RECORDS entries (two: if both come at once, a backlog is waiting).
   */
  function sendWants(r: Replica, from: number, kind: 'window' | 'probe' | 'live' = 'window'): void {
    const dmx = wantDmx(r.fid)
    let upTo = r.requestedUpTo
    for (const face of faces) {
      const perFrame = recordsPerWant(face)
      if (perFrame <= 0) continue
      const ahead = kind === 'live' ? Math.min(LIVE_WANT_RECORDS, perFrame) : kind === 'probe' ? perFrame : faceWindow(face)
      const last = Math.min(r.front.frontSeq + ahead, MAX_SEQ)
      for (let seq = from; seq <= last; seq += perFrame) {
        const records: WantRecord[] = []
        for (let s = seq; s <= last && records.length < perFrame; s++) records.push({ fid: r.fid, seq: s })
        stats.wantsSent++
        void send(face, encodeWant(dmx, records))
      }
      upTo = Math.max(upTo, last)
    }
    r.requestedUpTo = upTo
  }

  function recordsPerWant(face: Face): number {
    const small = face.mtu <= SMALL_FACE_MTU
    const bytes = Math.min(face.mtu, opts.wantBytes ?? (small ? SMALL_FACE_WANT_BYTES : WANT_BYTES))
    return Math.min(maxWantRecords(bytes), MAX_WANT_RECORDS)
  }

  /** A live WANT: front+1 and front+2 (a peer with a backlog answers both at once). */
  function sendLiveWant(r: Replica): void {
    r.requestedUpTo = r.front.frontSeq
    sendWants(r, r.front.frontSeq + 1, 'live')
  }

  function faceWindow(face: Face): number {
    return face.mtu <= SMALL_FACE_MTU ? Math.min(window, recordsPerWant(face)) : window
  }

  function restartTimer(r: Replica, ms: number): void {
    if (r.timer !== undefined) clock.clearTimeout(r.timer)
    r.rto = ms
    // a little jitter so nodes started together do not ask in lockstep
    r.timer = clock.setTimeout(() => onTimeout(r), ms * (0.9 + 0.2 * random()))
  }

  function onTimeout(r: Replica): void {
    r.timer = undefined
    if (!running) return
    const delivered = r.progressed
    if (delivered && !r.live) {
      // a round delivered and then nothing more came: the replica has what peers offered
      r.live = true
      // the backlog's last entries must not pair with the producer's next push
      r.lastAppendAt = Number.NEGATIVE_INFINITY
      events.emit('caught-up', { fid: r.fid, seq: r.front.frontSeq })
    }
    r.progressed = false
    // Nothing came for a while: ask again from the front. At the live edge that is the original's
    // periodic WANT; without any progress, back off from retryMin up to the ARQ interval.
    if (r.live) sendLiveWant(r)
    else {
      r.requestedUpTo = r.front.frontSeq
      sendWants(r, r.front.frontSeq + 1, 'probe')
    }
    restartTimer(r, r.live ? wantInterval : Math.min(r.rto * 2, wantInterval))
  }

  // ---- serving WANTs -------------------------------------------------------------------------

  function serve(fid: Uint8Array): void {
    const k = bkey(fid)
    if (served.has(k)) return
    served.add(k)
    dmxTable.set(bkey(wantDmx(fid)), onWant)
  }

  async function onWant(frame: Uint8Array, face: Face): Promise<void> {
    let want
    try {
      want = decodeWant(frame, MAX_WANT_RECORDS)
    } catch (err) {
      return drop(codeOf(err), face)
    }
    for (const rec of want.records) {
      if (!served.has(bkey(rec.fid))) continue // a log we do not hold
      const wire = await logs.get(rec.fid, rec.seq)
      if (!wire) continue
      if (sentRecently(face, rec)) continue
      if (!bucket(face).take()) return drop('RATE_LIMITED', face)
      stats.entriesServed++
      void send(face, wire)
      if (wire[7] === ENTRY_TYPE.CHAIN20) await serveBlobs(face, firstBlobPointer(wire.subarray(8, 56)))
    }
  }

  async function serveBlobs(face: Face, ptr: Uint8Array | undefined): Promise<void> {
    for (let i = 0; blobs && ptr && i < MAX_BLOBS_PER_ENTRY; i++) {
      const blob = await blobs.get(ptr).catch(() => undefined)
      if (!blob || !bucket(face).take()) return
      void send(face, blob)
      ptr = nextBlobPointer(blob)
    }
  }

  function bucket(face: Face): TokenBucket {
    let b = buckets.get(face)
    if (!b) buckets.set(face, (b = new TokenBucket(opts.serveRate ?? SERVE_RATE, opts.serveBurst ?? SERVE_BURST, clock)))
    return b
  }

  function sentRecently(face: Face, rec: WantRecord): boolean {
    let m = recentlySent.get(face)
    if (!m) recentlySent.set(face, (m = new Map()))
    const k = bkey(rec.fid) + rec.seq
    const now = clock.now()
    const t = m.get(k)
    if (t !== undefined && now - t < SERVE_DEDUP_MS) return true
    m.delete(k)
    m.set(k, now)
    if (m.size > 4 * MAX_WANT_RECORDS) m.delete(m.keys().next().value!) // bounded, oldest first
    return false
  }

  // ---- public --------------------------------------------------------------------------------

  async function track(fid: Uint8Array): Promise<void> {
    const info = await logs.info(fid)
    if (!info) throw new TypeError(`no log for feed ${toHex(fid)} in the store`)
    serve(fid)
    const k = bkey(fid)
    if (own.has(k) || replicas.has(k) || opts.replicateAll === false) return
    const r: Replica = {
      fid: fid.slice(),
      front: info,
      dmxKey: undefined,
      requestedUpTo: info.frontSeq,
      rto: retryMin,
      timer: undefined,
      progressed: false,
      live: false,
      lastAppendAt: Number.NEGATIVE_INFINITY,
    }
    replicas.set(k, r)
    armReplica(r)
    if (running) {
      sendWants(r, info.frontSeq + 1)
      restartTimer(r, retryMin)
    }
  }

  const node: TinyNode = {
    stats,
    async start() {
      if (running) return
      for await (const fid of logs.feeds()) await track(fid)
      running = true
      for (const face of faces) unsubscribe.push(face.onFrame((frame) => receive(frame, face)))
      for (const r of replicas.values()) {
        sendWants(r, r.front.frontSeq + 1)
        restartTimer(r, retryMin)
      }
    },
    async stop() {
      running = false
      for (const u of unsubscribe.splice(0)) u()
      for (const r of replicas.values()) {
        if (r.timer !== undefined) clock.clearTimeout(r.timer)
        r.timer = undefined
      }
      inbox = []
      await draining
    },
    async publish(fid, wire, blobList = []) {
      const k = bkey(fid)
      own.add(k)
      serve(fid)
      const info = await logs.info(fid)
      if (info) events.emit('append', { fid, seq: info.frontSeq, mid: info.frontMid, source: 'local' })
      for (const face of faces) {
        await send(face, wire)
        for (const b of blobList) await send(face, b)
      }
    },
    track,
    front: (fid) => replicas.get(bkey(fid))?.front.frontSeq,
    on: (name, fn) => events.on(name, fn),
    async idle() {
      while (draining) await draining
    },
    queues: () => ({ inbox: inbox.length, parked: parking.size, expectedBlobs: blobTable.size, replicas: replicas.size }),
  }
  return node
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' ? code : 'ERROR'
}
