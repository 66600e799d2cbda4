import { createSocket } from 'node:dgram'

/** A UDP port that was free on 127.0.0.1 a moment ago (bind port 0, read it, close). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** Two distinct free ports. */
export async function freeUdpPorts(): Promise<[number, number]> {
  for (;;) {
    const [p, q] = [await freeUdpPort(), await freeUdpPort()]
    if (p !== q) return [p, q]
  }
}

/** A random group in 239.255.0.0/16 (administratively scoped), so parallel runs do not meet. */
export function testGroup(): string {
  const x = Math.floor(Math.random() * 256)
  const y = 1 + Math.floor(Math.random() * 254)
  return `239.255.${x}.${y}`
}

/** Loopback-only multicast options: interface 127.0.0.1, TTL 0. */
export async function loopbackMulticast(): Promise<{ group: string; port: number; iface: string; ttl: number }> {
  return { group: testGroup(), port: await freeUdpPort(), iface: '127.0.0.1', ttl: 0 }
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `check()` is true, polling every 5 ms, failing after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await sleep(5)
  }
}
