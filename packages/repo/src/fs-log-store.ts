// The file-system LogStore: one poc-01 log file per feed in <node dir>/_logs/<fid hex>.log,
// byte-compatible with the Python reference (vectors/README.md "logfile.json").
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { equalBytes, fromHex, toHex, type AppendManyResult, type Verifier } from '@tinyssb/packet'
import { checkLog } from './check-log.js'
import { cutToValidPrefix, damagedError, followChain, type LogDamage } from './log-chain.js'
import { checkFid } from './checks.js'
import { errnoCode, ioError, StoreError } from './errors.js'
import { ensureDir, linkOrRename, syncDir, unlinkQuiet, writeTmp } from './fs-dir.js'
import { copyInfo, formatLogHeader } from './log-header.js'
import { openLogFile, readLogInfo, type LogFile, type LogRepair } from './log-file.js'
import { streamEntries } from './log-stream.js'
import { rangeLength } from './range.js'
import { checkAppend, checkAppendManyAsync, closed, exists, movedWhileChecking, newLogInfo, notFound } from './log-rules.js'
import type { VerifiableLogStore } from './memory-store.js'
import { entriesOfType, type TypeScanStore } from './entries-of-type.js'
import { TYPE_INDEX_FILE, TypeIndex } from './type-index.js'

/** The file store: a {@link VerifiableLogStore} that can also repair a log damaged in the middle. */
export interface FsLogStore extends VerifiableLogStore {
  /**
   * Cuts a damaged log back to its longest valid prefix (DMX chain and signatures checked from the
   * anchor), so appends are accepted again; reported through `onRepair` too. The entries after the
   * damage are gone: a replica fetches them again, but new entries on one's own feed at those seqs
   * fork it for every peer that had the old ones.
   * @returns the repair, or undefined when the log was intact.
   * @throws StoreError STORE_NOT_FOUND, STORE_READ_ONLY, STORE_IO.
   */
  repair(fid: Uint8Array): Promise<LogRepair | undefined>
}

/** The subdirectory of a node directory that holds the logs. */
export const LOGS_DIR = '_logs'
/** Codes of a `verify` failure that mean the data is damaged (so appends are refused). */
const DAMAGE_CODES = new Set(['PACKET_LENGTH', 'PACKET_DMX', 'PACKET_SIGNATURE', 'STORE_CORRUPT'])
/** Log files the store keeps open at once by default; the least recently used is closed beyond it. */
export const DEFAULT_MAX_OPEN_LOGS = 256
const LOG_FILE_NAME = /^([0-9a-f]{64})\.log$/

/** Options of {@link fsLogStore}. */
export interface FsLogStoreOptions {
  /** The node directory (e.g. `data/nodeA`); logs live in `dir/_logs`. */
  readonly dir: string
  /** Checks entry signatures on append, crash repair and `verify`. */
  readonly verifier: Verifier
  /** Create `dir/_logs` when missing. Default false: a missing directory is STORE_NOT_FOUND. */
  readonly createIfMissing?: boolean
  /**
   * An append resolves only once its entries are on disk (fdatasync; the directory too on log
   * creation), so an acknowledged entry survives a power loss. Appends that write while a sync
   * runs share the next one (group commit): a sync off the event loop per batch, not per entry.
   * Default false: an append resolves once the OS holds it (survives the process being killed,
   * not a power loss).
   */
  readonly durable?: boolean
  /**
   * Open logs without writing anything: no repair on open, create/append refused (STORE_READ_ONLY).
   * For readers (dump, verify) that may run while another process appends to the same logs.
   */
  readonly readOnly?: boolean
  /**
   * Called after opening a log repaired it (see {@link LogRepair}). A producer should treat
   * `front-beyond-file` on its own feed as serious: entries it may have sent are gone.
   */
  readonly onRepair?: (repair: LogRepair) => void
  /** Log files kept open at once (default {@link DEFAULT_MAX_OPEN_LOGS}). */
  readonly maxOpenLogs?: number
}

/**
 * Opens the log store of a node directory. Logs are opened on first use and repaired then if a
 * crash interrupted an append; each open log holds only its header and a file descriptor.
 * Appends check seq = front+1, the DMX and the signature before writing; they are synchronous
 * critical sections, so concurrent appends to one log are serialized. Before the first append to
 * a log, its whole chain is followed once (DMX and mids, no signatures): a log damaged in the
 * middle takes no appends (STORE_DAMAGED) until `repair(fid)`; so does one whose `verify` failed.
 * `entriesOfType` answers from an index of entry types in `dir/_logs.types` (derived data beside
 * `_logs`, written on close when it changed; see type-index.ts). One store per directory:
 * two processes appending to the same log are not coordinated (nor were they in the reference).
 * @param opts - see {@link FsLogStoreOptions}.
 * @returns the store, with `verify(fid)` (fsck of one log) and `repair(fid)`.
 * @throws StoreError STORE_NOT_FOUND when `dir/_logs` is missing and `createIfMissing` is false;
 *   STORE_IO.
 * @example
 * ```ts
 * import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
 * const logs = await fsLogStore({ dir: 'data/nodeA', verifier: nodeEd25519 })
 * for await (const e of logs.entries(fid)) console.log(e.seq, e.wire)
 * await logs.close()
 * ```
 */
export async function fsLogStore(opts: FsLogStoreOptions): Promise<FsLogStore> {
  const { verifier, onRepair } = opts
  const durable = opts.durable ?? false
  const readOnly = opts.readOnly ?? false
  const maxOpen = Math.max(1, opts.maxOpenLogs ?? DEFAULT_MAX_OPEN_LOGS)
  const logsDir = join(opts.dir, LOGS_DIR)
  ensureDir(logsDir, !readOnly && (opts.createIfMissing ?? false), 'log directory')
  const open = new Map<string, LogFile>() // insertion order = least recently used first
  // What the chain checks found in logs closed since (by stamp): an unchanged file is not checked again.
  const checked = new Map<string, { stamp: string; damage: LogDamage | undefined }>()
  let isClosed = false

  const pathOf = (hex: string): string => join(logsDir, `${hex}.log`)

  // The most recently used log, which is also the last in `open`: appends to one feed skip the
  // hex key and the LRU bookkeeping.
  let last: { fid: Uint8Array; file: LogFile } | undefined

  /** The open log of `fid` (opened and repaired on first use), or undefined when there is none. */
  const lookup = (fid: Uint8Array): LogFile | undefined => {
    if (isClosed) throw closed(`log store ${logsDir}`)
    checkFid(fid)
    if (last && equalBytes(last.fid, fid)) return last.file
    const hex = Buffer.from(fid.buffer, fid.byteOffset, fid.byteLength).toString('hex')
    const cached = open.get(hex)
    if (cached) {
      open.delete(hex)
      open.set(hex, cached)
      last = { fid: fid.slice(), file: cached }
      return cached
    }
    const opened = openLogFile(pathOf(hex), fid, verifier, durable, readOnly)
    if (!opened) return undefined
    if (open.size >= maxOpen) evictOne()
    const known = checked.get(hex)
    if (known && opened.repairs.length === 0 && known.stamp === opened.file.stamp()) {
      opened.file.chainChecked = true
      opened.file.damage = known.damage
    }
    open.set(hex, opened.file)
    last = { fid: fid.slice(), file: opened.file }
    // Reported once the log is repaired and cached, so a throwing callback cannot leak the fd.
    for (const r of opened.repairs) onRepair?.(r)
    return opened.file
  }

  /** The log of `fid` if it is open (no LRU move), else undefined. */
  const peek = (fid: Uint8Array): LogFile | undefined => {
    if (isClosed) throw closed(`log store ${logsDir}`)
    checkFid(fid)
    if (last && equalBytes(last.fid, fid)) return last.file
    return open.get(Buffer.from(fid.buffer, fid.byteOffset, fid.byteLength).toString('hex'))
  }

  /** Closes the least recently used log that no commit holds open (none when all are busy: a few more stay open). */
  const evictOne = (): void => {
    for (const [oldHex, oldest] of open) {
      if (oldest.busy()) continue
      open.delete(oldHex)
      if (oldest.chainChecked) checked.set(oldHex, { stamp: oldest.stamp(), damage: oldest.damage })
      void oldest.close() // closes at once: it is not busy
      return
    }
  }

  const store: FsLogStore = {
    async create(fid, options) {
      if (readOnly) throw readOnlyError(logsDir)
      if (lookup(fid)) throw exists(fid)
      const info = newLogInfo(fid, options)
      const path = pathOf(toHex(fid))
      try {
        // A complete header or none: a temporary file, then link (which fails if the log exists).
        const tmp = writeTmp(path, formatLogHeader(info), { durable })
        try {
          linkOrRename(tmp, path)
        } finally {
          unlinkQuiet(tmp)
        }
      } catch (err) {
        if (err instanceof StoreError) throw err
        if (errnoCode(err) === 'EEXIST') throw exists(fid)
        throw ioError(`cannot create log ${path}`, err)
      }
      if (durable) syncDir(logsDir)
      const lf = lookup(fid)
      if (!lf) throw new StoreError('STORE_IO', `log ${path} vanished right after it was created`)
      return copyInfo(lf.info)
    },
    async info(fid) {
      const lf = peek(fid)
      if (lf) return copyInfo(lf.info)
      // a log not open is read (and repaired) for its header only, then closed, no log object
      // built: reading the headers of many logs (a node loading its replicas) neither evicts the
      // logs in use nor allocates much per log
      const read = readLogInfo(pathOf(toHex(fid)), fid, verifier, durable, readOnly)
      if (!read) return undefined
      for (const r of read.repairs) onRepair?.(r)
      return copyInfo(read.info)
    },
    async get(fid, seq) {
      const lf = lookup(fid)
      if (!lf || !Number.isInteger(seq) || seq <= lf.info.anchorSeq || seq > lf.info.frontSeq) return undefined
      try {
        return lf.readWire(seq)
      } catch (err) {
        if (err instanceof StoreError) throw err
        throw ioError(`cannot read entry ${seq} of log ${lf.path}`, err)
      }
    },
    async getRange(fid, from, count) {
      const lf = lookup(fid)
      const n = lf ? rangeLength(lf.info, from, count) : 0
      if (n === 0) return []
      try {
        return lf!.readWires(from, n)
      } catch (err) {
        if (err instanceof StoreError) throw err
        throw ioError(`cannot read entries ${from}..${from + n - 1} of log ${lf!.path}`, err)
      }
    },
    async append(fid, seq, wire) {
      if (readOnly) throw readOnlyError(logsDir)
      const lf = lookup(fid)
      if (!lf) throw notFound(fid)
      checkIntact(lf)
      lf.write([checkAppend(lf.tail, seq, wire, verifier)])
      await lf.commit()
      return copyInfo(lf.info)
    },
    async appendMany(fid, seq, wires, opts) {
      if (readOnly) throw readOnlyError(logsDir)
      const lf = lookup(fid)
      if (!lf) throw notFound(fid)
      checkIntact(lf)
      const before = lf.tail
      const { entries, error } = await checkAppendManyAsync(before, seq, wires, verifier)
      // signatures may have been checked on other threads: refuse if the log moved meanwhile
      const now = lookup(fid)
      if (!now || now.tail.frontSeq !== before.frontSeq || !equalBytes(now.tail.frontMid, before.frontMid)) {
        throw movedWhileChecking(before, seq)
      }
      checkIntact(now)
      now.write(entries)
      // the log after this append (a durable log's info moves at the sync, maybe past it)
      const result: AppendManyResult = { info: copyInfo(now.tail), appended: entries.length, ...(error === undefined ? {} : { error }) }
      // durable: the next batch may be checked while this one syncs
      if (durable && opts?.onWritten) {
        try {
          opts.onWritten(result)
        } catch {
          // the caller's bookkeeping; the append itself goes on (documented: must not throw)
        }
      }
      await now.commit()
      return result
    },
    entries(fid, from) {
      return { [Symbol.asyncIterator]: () => streamEntries(lookup, fid, from) }
    },
    entriesOfType(fid, type, from) {
      return { [Symbol.asyncIterator]: () => entriesOfType(typeScan, fid, type, from) }
    },
    feeds() {
      return {
        async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
          if (isClosed) throw closed(`log store ${logsDir}`)
          let names: string[]
          try {
            names = readdirSync(logsDir).sort()
          } catch (err) {
            throw ioError(`cannot list log directory ${logsDir}`, err)
          }
          for (const name of names) {
            const m = LOG_FILE_NAME.exec(name)
            if (m) yield fromHex(m[1]!)
          }
        },
      }
    },
    async close() {
      if (!isClosed && !readOnly) types.save(logsDir, durable)
      isClosed = true
      last = undefined
      const files = [...open.values()]
      open.clear()
      // a log whose commit runs closes once it settled (its appends still resolve or reject)
      await Promise.all(files.map((lf) => lf.close()))
    },
    async verify(fid) {
      const r = await checkLog(store, fid, verifier)
      // the log checkLog read, if it is open (looking it up again could throw for a broken header)
      const lf = r.ok || DAMAGE_CODES.has(r.code) ? open.get(toHex(fid)) : undefined
      if (lf && r.ok && r.frontSeq === lf.info.frontSeq) {
        lf.chainChecked = true // verify followed the chain, signatures included
        lf.damage = undefined
      } else if (lf && !r.ok) {
        lf.damage = { seq: r.seq, code: r.code, message: r.message }
      }
      return r
    },
    async repair(fid) {
      if (readOnly) throw readOnlyError(logsDir)
      let lf = lookup(fid)
      if (!lf) throw notFound(fid)
      while (lf.busy()) {
        await lf.commit().catch(() => undefined) // the log as committed is what is checked
        lf = lookup(fid)
        if (!lf) throw notFound(fid)
      }
      const r = cutToValidPrefix(lf, verifier)
      lf.chainChecked = true
      lf.damage = undefined
      if (r) onRepair?.(r)
      return r
    },
  }

  const types = new TypeIndex(join(opts.dir, TYPE_INDEX_FILE))
  const typeScan: TypeScanStore = {
    index: types,
    guard(fid) {
      if (isClosed) throw closed(`log store ${logsDir}`)
      checkFid(fid)
    },
    logsDir,
    repair: (fid) => lookup(fid) !== undefined,
  }

  /** Follows the chain of `lf` once (see log-chain.ts). @throws StoreError STORE_DAMAGED. */
  function checkIntact(lf: LogFile): void {
    if (!lf.chainChecked) {
      lf.damage = followChain(lf)
      lf.chainChecked = true
    }
    if (lf.damage) throw damagedError(lf, lf.damage)
  }

  return store
}

function readOnlyError(dir: string): StoreError {
  return new StoreError('STORE_READ_ONLY', `log store ${dir} was opened read-only`)
}
