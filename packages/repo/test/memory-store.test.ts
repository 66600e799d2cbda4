import { memoryBlobStore, memoryLogStore } from '../src/index.js'
import { testBlobStore, testLogStore } from './compliance.js'

testLogStore('memoryLogStore', async (verifier) => memoryLogStore({ verifier }))
testBlobStore('memoryBlobStore', async () => memoryBlobStore())
