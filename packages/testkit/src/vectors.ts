// The test vectors in the repository's vectors/ directory: the poc-01 vectors made by running the
// Python reference (vectors/README.md) and the MVDS vectors made by the Go reference
// (vectors/mvds/README.md). TINYSSB_VECTORS and MVDS_VECTORS override the two directories.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's vectors/ directory (this module runs from packages/testkit/dist). */
const REPO_VECTORS = fileURLToPath(new URL('../../../vectors/', import.meta.url))

/**
 * The directory the poc-01 vectors are read from: `TINYSSB_VECTORS` when set, else the
 * repository's `vectors/`. Read at each call, so a test may change the variable.
 */
export function vectorsDir(): string {
  return process.env.TINYSSB_VECTORS ? resolve(process.env.TINYSSB_VECTORS) : REPO_VECTORS
}

/** The directory the MVDS vectors are read from: `MVDS_VECTORS` when set, else `vectors/mvds/`. */
export function mvdsVectorsDir(): string {
  return process.env.MVDS_VECTORS ? resolve(process.env.MVDS_VECTORS) : resolve(REPO_VECTORS, 'mvds')
}

function readVectorFile(dir: string, file: string, variable: string): string {
  const path = resolve(dir, file)
  if (!existsSync(path)) {
    throw new Error(`test vector file missing: ${path} (set ${variable} to the directory that holds ${file})`)
  }
  return readFileSync(path, 'utf8')
}

/**
 * One poc-01 vector file (e.g. `packets.json`), parsed and checked to be the file asked for.
 * @throws Error naming the path and `TINYSSB_VECTORS` when the file is missing, or naming the
 *   path when it is not that vector file.
 */
export function loadVectors<T = any>(file: string): T {
  const path = resolve(vectorsDir(), file)
  const data = JSON.parse(readVectorFile(vectorsDir(), file, 'TINYSSB_VECTORS'))
  if (data.format !== 'tinyssb-poc01-vectors/1' || data.file !== file) throw new Error(`${path}: not the vector file ${file}`)
  return data as T
}

/** One MVDS message of the Go reference (all byte strings in lowercase hex). */
export interface MvdsMessageVector {
  label: string
  /** 32 bytes. */
  group_id: string
  /** int64 milliseconds as the Go reference stores it; always a bigint (some exceed 2^53). */
  timestamp: bigint
  body: string
  /** Message ids (32 bytes each) from the message's metadata, when it has any. */
  parents?: string[]
  ephemeral?: boolean
  /** sha256("MESSAGE_ID" ‖ group_id ‖ timestamp as 8 bytes little-endian ‖ body). */
  id: string
  /** The Message alone, protobuf-marshalled. */
  message_bytes: string
}

/** One MVDS Payload (one datagram) of the Go reference. */
export interface MvdsPayloadVector {
  label: string
  acks: string[]
  offers: string[]
  requests: string[]
  /** Labels of entries of {@link MvdsVectors.messages}, in order. */
  messages: string[]
  /** The whole Payload, protobuf-marshalled. */
  payload_bytes: string
}

/** The content of `vectors/mvds/go-reference.json` (see vectors/mvds/README.md). */
export interface MvdsVectors {
  format: 'mvds-go-vectors/1'
  generated_by: string
  id_rule: string
  prefix: string
  messages: MvdsMessageVector[]
  payloads: MvdsPayloadVector[]
}

/**
 * The MVDS vectors of the Go reference (`go-reference.json` in `vectors/mvds/`, or in
 * `MVDS_VECTORS`), with every `timestamp` as a bigint: the JSON holds int64 values beyond 2^53,
 * which `JSON.parse` would round, so they are read from the text before parsing.
 * @throws Error naming the path and `MVDS_VECTORS` when the file is missing, or naming the path
 *   when it is not the MVDS vector file.
 */
export function loadMvdsVectors(): MvdsVectors {
  const file = 'go-reference.json'
  const path = resolve(mvdsVectorsDir(), file)
  const text = readVectorFile(mvdsVectorsDir(), file, 'MVDS_VECTORS')
  const data = JSON.parse(text.replace(/("timestamp"\s*:\s*)(-?\d+)/g, '$1"$2"'))
  if (data.format !== 'mvds-go-vectors/1' || !Array.isArray(data.messages) || !Array.isArray(data.payloads)) {
    throw new Error(`${path}: not the MVDS vector file (format mvds-go-vectors/1)`)
  }
  for (const m of data.messages) m.timestamp = BigInt(m.timestamp)
  return data as MvdsVectors
}
