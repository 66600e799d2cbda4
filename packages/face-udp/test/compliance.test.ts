import { memoryLink } from '@tinyssb/testkit'
import { testFace } from '@tinyssb/testkit/compliance'
import { udpMulticastFace, udpUnicastFace } from '../src/index.js'
import { freeUdpPorts, loopbackMulticast } from './helpers.js'

testFace('memory hub (via the published subpath)', async () => {
  const { a, b, hub } = memoryLink()
  return { a, b, cleanup: () => hub.close() }
})

testFace('UDP unicast on 127.0.0.1, fixed ports', async () => {
  const [pa, pb] = await freeUdpPorts()
  const local = { localAddress: '127.0.0.1', host: '127.0.0.1' }
  const a = await udpUnicastFace({ ...local, localPort: pa, port: pb })
  const b = await udpUnicastFace({ ...local, localPort: pb, port: pa })
  return { a, b }
})

testFace('UDP multicast over loopback, two faces on one group and port', async () => {
  const options = await loopbackMulticast()
  const a = await udpMulticastFace(options)
  const b = await udpMulticastFace(options)
  return { a, b }
})
