/**
 * @tinyssb/packet — the tinySSB poc-01 packet codec ("tinyssb-v0"): 120-byte log entries, DMX,
 * MID, signing, sidechain blobs and WANT requests; and this project's extension frames (blob
 * requests with chained credit, front hints) with a blob request planner. Pure: no I/O, runs in browsers too.
 * Signature backends live in subpaths: `@tinyssb/packet/ed25519` (libsodium or node:crypto on Node,
 * noble elsewhere), `/noble`, `/node-crypto`, `/sodium`, `/hmac`.
 * @packageDocumentation
 */
export { TinySSBError, PacketError, FaceError, type PacketErrorCode, type FaceErrorCode } from './errors.js'
export { toHex, fromHex, concatBytes, equalBytes, isZero, u32be, readU32be } from './bytes.js'
export * from './constants.js'
export type { Signer, Verifier, VerifyItem, SignatureScheme } from './crypto.js'
export { sha256 } from './hash.js'
export {
  type EntryPosition,
  type Entry,
  type EntryCheck,
  type DecodeOptions,
  entryName,
  entryDmx,
  entryMid,
  entrySignatureItem,
  entrySignatureItems,
  nextDmx,
  nextDmxLatin1,
  genesisPosition,
  createEntry,
  createPlainEntry,
  checkEntry,
  verifyEntry,
  decodeEntry,
} from './entry.js'
export { encodeVarint, decodeVarint, type Varint } from './varint.js'
export {
  MAX_CHAIN_CONTENT_BYTES,
  type Sidechain,
  type SidechainRead,
  type ReadSidechainOptions,
  blobPointer,
  encodeSidechain,
  createChainEntry,
  firstBlobPointer,
  nextBlobPointer,
  readSidechain,
  readSidechainAsync,
} from './sidechain.js'
export {
  WANT_RECORD_BYTES,
  WANT_MIN_BYTES,
  type WantRecord,
  type Want,
  wantDmx,
  maxWantRecords,
  encodeWant,
  decodeWant,
} from './want.js'
export type * from './interfaces.js'
export { extensionDmx } from './ext-dmx.js'
export {
  BLOB_REQUEST_NAME,
  BLOB_REQUEST_RECORD_BYTES,
  BLOB_REQUEST_MIN_BYTES,
  BLOB_REQUEST_MAX_RECORDS,
  BLOB_CREDIT_MAX,
  BLOB_REQUEST_MAX_BLOBS,
  type BlobRequestRecord,
  type BlobRequest,
  type DecodeBlobRequestOptions,
  blobRequestDmx,
  isBlobRequest,
  encodeBlobRequest,
  decodeBlobRequest,
  packBlobRequests,
} from './blob-request.js'
export {
  FRONT_HINT_NAME,
  FRONT_HINT_RECORD_BYTES,
  FRONT_HINT_MIN_BYTES,
  FRONT_HINT_MAX_RECORDS,
  type FrontHint,
  type FrontHintStatus,
  type FrontView,
  frontHintDmx,
  isFrontHint,
  encodeFrontHint,
  decodeFrontHint,
  checkFrontHint,
} from './front-hint.js'
export {
  type BlobLookup,
  type ChainStart,
  type ChainStatus,
  type BlobPlan,
  type PlanBlobRequestsOptions,
  sidechainBlobCount,
  chainStatus,
  planBlobRequests,
} from './blob-plan.js'
export {
  BUNDLE_NAME,
  BUNDLE_MIN_ENTRIES,
  BUNDLE_MIN_BYTES,
  BUNDLE_WANT_SEQ,
  bundleDmx,
  maxBundleEntries,
  isBundle,
  encodeBundle,
  decodeBundle,
  bundleWantRecord,
  isBundleWantRecord,
} from './bundle.js'
export { BlobRequestRetry, type BlobRetryOptions, type BlobRetryStep } from './blob-retry.js'
