// Small file-system helpers: store directories, atomic file writes, directory fsync.
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, fchmodSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'
import { errnoCode, ioError, StoreError } from './errors.js'

/**
 * Makes sure `dir` is a directory: creates it (and its parents) when `createIfMissing`.
 * @throws StoreError STORE_NOT_FOUND when it is missing and may not be created, STORE_IO.
 */
export function ensureDir(dir: string, createIfMissing: boolean, what: string): void {
  try {
    if (statSync(dir).isDirectory()) return
    throw new StoreError('STORE_IO', `${what} ${dir} is not a directory`)
  } catch (err) {
    if (err instanceof StoreError) throw err
    if (errnoCode(err) !== 'ENOENT') throw ioError(`cannot open ${what} ${dir}`, err)
  }
  if (!createIfMissing) throw new StoreError('STORE_NOT_FOUND', `no ${what} at ${dir} (createIfMissing is false)`)
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw ioError(`cannot create ${what} ${dir}`, err)
  }
}

/** fsync of a directory, so a rename or a new file in it survives a power loss. Best effort. */
export function syncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // some file systems refuse fsync on directories; the data itself is synced already
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** A temporary name beside `path` that no reader mistakes for a real file (it ends in .tmp). */
export function tmpPath(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
}

/** How {@link writeTmp} and {@link writeAtomic} write. */
export interface WriteOptions {
  /** Exact file mode, whatever the umask (config.json: 0o600). Default: 0o666 less the umask. */
  readonly mode?: number
  /** fsync the file (and, for writeAtomic, its directory). */
  readonly durable?: boolean
}

/** Writes `data` to a new temporary file beside `path`; returns the temporary file's path. */
export function writeTmp(path: string, data: Uint8Array, opts: WriteOptions = {}): string {
  const tmp = tmpPath(path)
  const fd = openSync(tmp, 'wx', opts.mode ?? 0o666)
  try {
    if (opts.mode !== undefined) fchmodSync(fd, opts.mode) // exact: the umask must not change it
    let done = 0
    while (done < data.length) done += writeSync(fd, data, done, data.length - done)
    if (opts.durable) fsyncSync(fd)
  } catch (err) {
    closeSync(fd)
    unlinkQuiet(tmp)
    throw err
  }
  closeSync(fd)
  return tmp
}

/**
 * Replaces `path` atomically: a temporary file, then rename. Readers see the old or the new
 * content, never a part.
 */
export function writeAtomic(path: string, data: Uint8Array, opts: WriteOptions = {}): void {
  const tmp = writeTmp(path, data, opts)
  try {
    renameSync(tmp, path)
  } catch (err) {
    unlinkQuiet(tmp)
    throw err
  }
  if (opts.durable) syncDir(dirname(path))
}

/** unlink that ignores every error (cleanup of temporary files). */
export function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // already gone
  }
}

/** Writes all of `buf` at `position` (pwrite until done). */
export function writeAll(fd: number, buf: Uint8Array, position: number): void {
  let done = 0
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done)
}

/** Reads up to `buf.length` bytes at `position`; returns how many (fewer at the end of the file). */
export function readAll(fd: number, buf: Uint8Array, position: number): number {
  let done = 0
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done
}

/** Hard-links `tmp` to `path` (atomic, fails with EEXIST); falls back to rename where links are unsupported. */
export function linkOrRename(tmp: string, path: string): void {
  try {
    linkSync(tmp, path)
  } catch (err) {
    const code = errnoCode(err)
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err
    if (existsSync(path)) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' })
    renameSync(tmp, path)
  }
}
