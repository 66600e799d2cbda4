import { networkInterfaces } from 'node:os'

/**
 * Tells whether an IPv4 address belongs to this host: 127.0.0.0/8, or an address of one of its
 * interfaces. The interface list is read once, and again when an unknown address is asked about
 * (interfaces come and go, e.g. with DHCP).
 */
export function localAddressCheck(extra: readonly string[] = []): (address: string) => boolean {
  let known = read(extra)
  return (address) => {
    if (address.startsWith('127.') || known.has(address)) return true
    known = read(extra)
    return known.has(address)
  }
}

function read(extra: readonly string[]): Set<string> {
  const set = new Set(extra)
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4') set.add(info.address)
  }
  return set
}
