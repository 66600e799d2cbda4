import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { afterAll } from 'vitest'
import { memoryBlobStore, memoryLogStore, StoreError } from '../src/index.js'
import { testBlobStore, testLogStore } from '@tinyssb/testkit/store-compliance'

testLogStore('memoryLogStore', async (verifier) => memoryLogStore({ verifier }), { storeError: StoreError })
testBlobStore('memoryBlobStore', async () => memoryBlobStore())

const parallel = parallelEd25519({ threads: 1 })
afterAll(() => parallel.close())
testLogStore('memoryLogStore (batches checked on a worker thread)', async () => memoryLogStore({ verifier: parallel }), { storeError: StoreError })
