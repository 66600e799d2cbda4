import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { afterAll } from 'vitest'
import { fsBlobStore, fsLogStore, StoreError } from '../src/index.js'
import { testBlobStore, testLogStore } from '@tinyssb/testkit/store-compliance'
import { cleanTempDirs, tempDir } from './helpers.js'

cleanTempDirs()
testLogStore('fsLogStore', (verifier) => fsLogStore({ dir: tempDir(), verifier, createIfMissing: true }), { storeError: StoreError })
testLogStore(
  'fsLogStore (durable, at most 1 open file)',
  (verifier) => fsLogStore({ dir: tempDir(), verifier, createIfMissing: true, durable: true, maxOpenLogs: 1 }),
  { storeError: StoreError },
)
testBlobStore('fsBlobStore', () => fsBlobStore({ dir: tempDir(), createIfMissing: true }))

// Batches checked on worker threads (verifyMany) must behave exactly like one-by-one appends.
const parallel = parallelEd25519({ threads: 1 })
afterAll(() => parallel.close())
testLogStore(
  'fsLogStore (signatures of batches checked on a worker thread)',
  () => fsLogStore({ dir: tempDir(), verifier: parallel, createIfMissing: true }),
  { storeError: StoreError },
)
