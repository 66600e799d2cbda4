// Test fixtures: MVDS nodes on a fake clock, joined pairwise by two-face memory hubs (one hub per
// link, so a frame reaches exactly the peer it is meant for).
import type { Face } from '@tinyssb/core'
import { fakeClock, memoryHub, type FakeClock, type MemoryHub } from '@tinyssb/testkit'
import { createMvdsNode, type MvdsNode, type MvdsNodeOptions } from '../src/index.js'

export const GROUP = new Uint8Array(32).fill(0x61)
export const EPOCH_MS = 100
export const text = (s: string): Uint8Array => new TextEncoder().encode(s)
export const str = (b: Uint8Array): string => new TextDecoder().decode(b)
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

export interface Net {
  readonly clock: FakeClock
  readonly nodes: Record<string, MvdsNode>
  readonly hubs: MemoryHub[]
  /** Frames sent from `a` to `b`, decoded lazily by the test. */
  readonly wire: { from: string; to: string; frame: Uint8Array }[]
  /** Runs `n` epochs. */
  epochs(n: number): void
  close(): Promise<void>
}

/** A face wrapper that records frames and can drop them. */
function tap(face: Face, from: string, to: string, net: { wire: Net['wire']; drop: (from: string, to: string, frame: Uint8Array) => boolean }): Face {
  return {
    name: face.name,
    mtu: face.mtu,
    send(frame, peer) {
      net.wire.push({ from, to, frame })
      if (net.drop(from, to, frame)) return Promise.resolve()
      return face.send(frame, peer)
    },
    onFrame: (h) => face.onFrame(h),
    close: () => face.close(),
  }
}

/**
 * Nodes named by `names`, joined by `links` ("a-b" pairs), all sharing GROUP with their neighbours.
 * @param drop decides per frame whether the link loses it.
 */
export function makeNet(
  names: string[],
  links: string[],
  options: Partial<MvdsNodeOptions> | ((name: string) => Partial<MvdsNodeOptions>) = {},
  drop: (from: string, to: string, frame: Uint8Array) => boolean = () => false,
  mtu?: number,
): Net {
  const clock = fakeClock()
  const wire: Net['wire'] = []
  const faces = new Map<string, Face[]>(names.map((n) => [n, []]))
  const peers: { node: string; face: string; peer: string }[] = []
  const hubs: MemoryHub[] = []
  for (const link of links) {
    const [a, b] = link.split('-') as [string, string]
    const hub = memoryHub({ clock, ...(mtu ? { mtu } : {}) })
    hubs.push(hub)
    const fa = tap(hub.face(`${a}>${b}`), a, b, { wire, drop })
    const fb = tap(hub.face(`${b}>${a}`), b, a, { wire, drop })
    faces.get(a)!.push(fa)
    faces.get(b)!.push(fb)
    peers.push({ node: a, face: fa.name, peer: fb.name }, { node: b, face: fb.name, peer: fa.name })
  }
  const nodes: Record<string, MvdsNode> = {}
  for (const n of names) {
    const o = typeof options === 'function' ? options(n) : options
    nodes[n] = createMvdsNode({ faces: faces.get(n)!, clock, epochMs: EPOCH_MS, random: () => 0.5, unixTime: () => 1000n, ...o })
  }
  for (const p of peers) nodes[p.node]!.addPeer(GROUP, { face: p.face, id: p.peer })
  return {
    clock,
    nodes,
    hubs,
    wire,
    epochs: (n) => void clock.advance(n * EPOCH_MS),
    async close() {
      for (const node of Object.values(nodes)) await node.close()
      for (const hub of hubs) await hub.close()
    },
  }
}
