/**
 * @tinyssb/testkit — private test helpers: an in-memory broadcast medium with seeded loss,
 * duplication, reordering and delay; a fake clock; a seeded PRNG; temp dirs.
 * The Face compliance suite imports vitest and lives in the subpath '@tinyssb/testkit/compliance'.
 * @packageDocumentation
 */
export { mulberry32, fakeClock, type FakeClock } from '@tinyssb/core'
export { FaceError, type FaceErrorCode } from './errors.js'
export { FUZZ, mutated, type MutationLimits } from './fuzz.js'
export { runUntilKilled } from './kill-child.js'
export {
  MEMORY_MTU_BYTES,
  REORDER_HOLD_MS,
  memoryHub,
  memoryLink,
  type MemoryHub,
  type MemoryHubOptions,
  type MemoryHubStats,
  type MemoryLink,
} from './memory-hub.js'
export { INSTALL_HINT, hasCommand, requireCommand } from './system.js'
export { tempDir, type TempDir } from './temp-dir.js'
export {
  loadMvdsVectors,
  loadVectors,
  mvdsVectorsDir,
  vectorsDir,
  type MvdsMessageVector,
  type MvdsPayloadVector,
  type MvdsVectors,
} from './vectors.js'
