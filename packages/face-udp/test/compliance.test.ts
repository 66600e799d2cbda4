import { memoryLink } from '@tinyssb/testkit'
import { testFace } from '@tinyssb/testkit/compliance'
import { udpMulticastFace, udpUnicastFace } from '../src/index.js'
import { freeUdpPorts, loopbackMulticast, until } from './helpers.js'

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

testFace('UDP unicast, a learning face (addressable) and two clients fixed to it', async () => {
  const a = await udpUnicastFace({ localAddress: '127.0.0.1' })
  const client = { localAddress: '127.0.0.1', host: '127.0.0.1', port: a.address().port }
  const c = await udpUnicastFace(client)
  const b = await udpUnicastFace(client)
  // a hears c, then b: b is the latest peer, where send() without `to` goes.
  for (const [i, face] of [c, b].entries()) {
    await face.send(Uint8Array.of(0xee))
    await until(() => a.peers().length === i + 1)
  }
  return { a, b, c }
})

testFace('UDP multicast over loopback, three faces on one group and port', async () => {
  const options = await loopbackMulticast()
  const a = await udpMulticastFace(options)
  const b = await udpMulticastFace(options)
  const c = await udpMulticastFace(options)
  return { a, b, c }
})
