import { memoryHub, memoryLink } from '../src/memory-hub.js'
import { testFace } from '../src/face-compliance.js'

testFace('memory hub', async () => {
  const { a, b, hub } = memoryLink()
  return { a, b, cleanup: () => hub.close() }
})

testFace('memory hub with a third face (addressable sends)', async () => {
  const hub = memoryHub({ seed: 5 })
  return { a: hub.face('a'), b: hub.face('b'), c: hub.face('c'), cleanup: () => hub.close() }
})

testFace('memory hub with delay and reordering', async () => {
  const { a, b, hub } = memoryLink({ seed: 3, delayMs: [0, 3], reorder: 0.2, mtu: 256 })
  return { a, b, cleanup: () => hub.close() }
})
