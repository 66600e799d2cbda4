// The shared test vectors of the Python reference (shared/vectors beside the checkout).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const VECTORS_DIR = process.env.TINYSSB_VECTORS
  ? pathToFileURL(`${process.env.TINYSSB_VECTORS.replace(/\/?$/, '/')}`)
  : new URL('../../../../shared/vectors/', import.meta.url) // packages/testkit/dist → ../shared

/**
 * One vector file, parsed and checked to be the file asked for. The directory is shared/vectors
 * beside the checkout (as on CI); TINYSSB_VECTORS overrides it.
 * @throws Error naming the path when the file is missing or not a vector file.
 */
export function loadVectors<T = any>(file: string): T {
  const path = fileURLToPath(new URL(file, VECTORS_DIR))
  if (!existsSync(path)) throw new Error(`test vector file missing: ${path} (set TINYSSB_VECTORS to override)`)
  const data = JSON.parse(readFileSync(path, 'utf8'))
  if (data.format !== 'tinyssb-poc01-vectors/1' || data.file !== file) throw new Error(`${path}: not the vector file ${file}`)
  return data as T
}
