// The one error class of @tinyssb/repo (docs/CONTRIBUTING.md "Errors"): a stable `name` and a stable `code`.
import { TinySSBError } from '@tinyssb/packet'

/** Codes of {@link StoreError}. */
export type StoreErrorCode =
  | 'STORE_EXISTS' // create() of a log that exists already
  | 'STORE_NOT_FOUND' // no such log, store directory or config file
  | 'STORE_SEQ' // append() of a seq that is not front+1 (a log never has gaps)
  | 'STORE_CORRUPT' // a file that cannot be what it claims (short header, wrong fid, bad blob hash…)
  | 'STORE_IO' // the file system failed; the fs error is the `cause`
  | 'STORE_CLOSED' // the store was closed
  | 'STORE_READ_ONLY' // create() or append() on a store opened with readOnly
  | 'STORE_DAMAGED' // append() to a log damaged in the middle (until the store's repair(fid))
  | 'STORE_NO_BLOBS' // appendToFeed() of a sidechain that needs blobs, without a blob store
  | 'CONFIG_INVALID' // config.json is not the format the original writes

/**
 * A storage failure: broken files, a wrong sequence number, a missing log, file-system errors.
 * Bad entries given to `append` are {@link PacketError}s from `@tinyssb/packet`, not this.
 */
export class StoreError extends TinySSBError<StoreErrorCode> {
  override name = 'StoreError'
}

/** Wraps a file-system error as StoreError STORE_IO, keeping it as `cause`. */
export function ioError(what: string, err: unknown): StoreError {
  const detail = err instanceof Error ? err.message : String(err)
  return new StoreError('STORE_IO', `${what}: ${detail}`, { cause: err })
}

/** The `code` of a Node.js system error, if any. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}
