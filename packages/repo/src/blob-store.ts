// The file-system BlobStore: sidechain blobs in <node dir>/_blob/<2 hex>/<38 hex>, as the reference
// lays them out (vectors/README.md "logfile.json": path = _blob/ + hashptr[0:2] hex + / + the rest).
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BLOB_BYTES, blobPointer, equalBytes, toHex, type BlobStore } from '@tinyssb/packet'
import { checkBytes, checkPointer } from './checks.js'
import { errnoCode, ioError, StoreError } from './errors.js'
import { ensureDir, writeAtomic } from './fs-dir.js'

/** The subdirectory of a node directory that holds the blobs. */
export const BLOBS_DIR = '_blob'

/** Options of {@link fsBlobStore}. */
export interface FsBlobStoreOptions {
  /** The node directory (e.g. `data/nodeA`); blobs live in `dir/_blob`. */
  readonly dir: string
  /** Create `dir/_blob` when missing. Default false: a missing directory is STORE_NOT_FOUND. */
  readonly createIfMissing?: boolean
  /** fsync each new blob file and its directory. Default false. */
  readonly durable?: boolean
}

/** The path of a blob relative to the node directory: `_blob/` + 2 hex + `/` + 38 hex. */
export function blobPath(ptr: Uint8Array): string {
  checkPointer(ptr)
  const hex = toHex(ptr)
  return `${BLOBS_DIR}/${hex.slice(0, 2)}/${hex.slice(2)}`
}

/**
 * Opens the blob store of a node directory. `put` writes each blob atomically (temporary file,
 * then rename) and is idempotent; `get` checks that the file is 120 bytes and hashes to its name.
 * @param opts - see {@link FsBlobStoreOptions}.
 * @returns the store.
 * @throws StoreError STORE_NOT_FOUND when `dir/_blob` is missing and `createIfMissing` is false; STORE_IO.
 *   Its methods throw PacketError PACKET_LENGTH for a blob that is not 120 bytes or a pointer that
 *   is not 20; StoreError STORE_CORRUPT for a damaged blob file; STORE_IO.
 * @example
 * ```ts
 * const blobs = await fsBlobStore({ dir: 'data/nodeA', createIfMissing: true })
 * const ptr = await blobs.put(blob120)
 * ```
 */
export async function fsBlobStore(opts: FsBlobStoreOptions): Promise<BlobStore> {
  const durable = opts.durable ?? false
  const root = join(opts.dir, BLOBS_DIR)
  ensureDir(root, opts.createIfMissing ?? false, 'blob directory')
  const fileOf = (ptr: Uint8Array): string => join(opts.dir, blobPath(ptr))

  /** The blob file's bytes, checked; undefined when absent. */
  const read = (ptr: Uint8Array): Uint8Array | undefined => {
    const file = fileOf(ptr)
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(readFileSync(file))
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined
      throw ioError(`cannot read blob ${file}`, err)
    }
    if (bytes.length !== BLOB_BYTES) {
      throw new StoreError('STORE_CORRUPT', `blob ${file}: expected ${BLOB_BYTES} bytes, got ${bytes.length}`)
    }
    if (!equalBytes(blobPointer(bytes), ptr)) {
      throw new StoreError('STORE_CORRUPT', `blob ${file}: its content does not hash to its name`)
    }
    return bytes
  }

  return {
    async put(blob) {
      checkBytes(blob, BLOB_BYTES, 'blob')
      const ptr = blobPointer(blob).slice()
      const file = fileOf(ptr)
      try {
        if (read(ptr)) return ptr // idempotent, as the reference's add_blob
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'STORE_CORRUPT')) throw err
        // a damaged copy is replaced below
      }
      try {
        mkdirSync(join(file, '..'), { recursive: true })
        writeAtomic(file, blob, { durable })
      } catch (err) {
        throw ioError(`cannot write blob ${file}`, err)
      }
      return ptr
    },
    async get(ptr) {
      checkPointer(ptr)
      return read(ptr)
    },
    async has(ptr) {
      checkPointer(ptr)
      return existsSync(fileOf(ptr))
    },
  }
}
