import { parallelEd25519 } from '@tinyssb/packet/node-crypto'
import { afterAll } from 'vitest'
import { memoryBlobStore, memoryLogStore } from '../src/index.js'
import { testBlobStore, testLogStore } from './compliance.js'

testLogStore('memoryLogStore', async (verifier) => memoryLogStore({ verifier }))
testBlobStore('memoryBlobStore', async () => memoryBlobStore())

const parallel = parallelEd25519({ threads: 1 })
afterAll(() => parallel.close())
testLogStore('memoryLogStore (batches checked on a worker thread)', async () => memoryLogStore({ verifier: parallel }))
