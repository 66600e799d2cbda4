import { fsBlobStore, fsLogStore } from '../src/index.js'
import { testBlobStore, testLogStore } from './compliance.js'
import { cleanTempDirs, tempDir } from './helpers.js'

cleanTempDirs()
testLogStore('fsLogStore', (verifier) => fsLogStore({ dir: tempDir(), verifier, createIfMissing: true }))
testLogStore('fsLogStore (durable, at most 1 open file)', (verifier) =>
  fsLogStore({ dir: tempDir(), verifier, createIfMissing: true, durable: true, maxOpenLogs: 1 }),
)
testBlobStore('fsBlobStore', () => fsBlobStore({ dir: tempDir(), createIfMissing: true }))
