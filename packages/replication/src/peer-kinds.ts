// Which peers of a face are tinyssb-ts nodes: a peer that sent a front hint is one (only tinyssb-ts
// nodes send them, docs/extensions.md); any other peer may be the Python original, which reads at
// most 250 bytes of a datagram. While every peer heard on a face lately is a tinyssb-ts node, the
// node's WANTs there may take up to the face's MTU (FaceProfile.largeRecords): fewer WANT frames for
// the same answers. One peer heard that never sent a hint (a poc-01 node, or one with hints off)
// brings the face back to WANTs the original reads whole.
import type { Clock, Face, PeerId } from '@tinyssb/core'
import { LruMap } from './lru.js'
import { MAX_PEERS_PER_FACE, PEER_KIND_MS } from './options.js'

interface Peer {
  heardAt: number
  tinyssb: boolean
}

interface FacePeers {
  readonly peers: LruMap<PeerId, Peer>
  /** When a peer forgotten while heard lately (the bound) was last heard: the face's peers are not all known until PEER_KIND_MS after it. */
  lostAt: number
}

/** Per face: the peers heard lately and whether each is a tinyssb-ts node. Bounded per face. */
export class PeerKinds {
  readonly #clock: Clock
  readonly #faces = new Map<Face, FacePeers>()
  readonly #ms: number
  readonly #max: number

  constructor(clock: Clock, opts: { ms?: number; maxPeers?: number } = {}) {
    this.#clock = clock
    this.#ms = opts.ms ?? PEER_KIND_MS
    this.#max = opts.maxPeers ?? MAX_PEERS_PER_FACE
  }

  #face(face: Face): FacePeers {
    let f = this.#faces.get(face)
    if (!f) this.#faces.set(face, (f = { peers: new LruMap(this.#max), lostAt: Number.NEGATIVE_INFINITY }))
    return f
  }

  #peer(face: Face, peer: PeerId, now: number): Peer {
    const f = this.#face(face)
    let p = f.peers.get(peer)
    if (!p) {
      const evicted = f.peers.set(peer, (p = { heardAt: now, tinyssb: false }))
      if (evicted && now - evicted[1].heardAt < this.#ms) f.lostAt = evicted[1].heardAt
    }
    return p
  }

  /** A frame arrived from `peer` on `face`. */
  heard(face: Face, peer: PeerId): void {
    const now = this.#clock.now()
    this.#peer(face, peer, now).heardAt = now
  }

  /** `peer` sent a front hint: it is a tinyssb-ts node. */
  tinyssb(face: Face, peer: PeerId): void {
    const now = this.#clock.now()
    const p = this.#peer(face, peer, now)
    p.heardAt = now
    p.tinyssb = true
  }

  /** Whether at least one peer was heard on `face` lately and every peer heard lately is a tinyssb-ts node. */
  allTinyssb(face: Face): boolean {
    const f = this.#faces.get(face)
    if (!f) return false
    const now = this.#clock.now()
    if (now - f.lostAt < this.#ms) return false
    let any = false
    for (const p of f.peers.values()) {
      if (now - p.heardAt >= this.#ms) continue
      if (!p.tinyssb) return false
      any = true
    }
    return any
  }
}

/**
 * Whether bundles sent on `face` reach tinyssb-ts nodes only (the WANT queue asks for bundles and
 * the WANT server sends them there): on an addressable face an answer goes to its asker alone; on
 * a broadcast face every peer hears it, so every peer heard lately must be one (`peers`).
 */
export function bundlesReachOnlyTinyssb(face: Face, peers: PeerKinds | undefined): boolean {
  return face.addressable || peers?.allTinyssb(face) === true
}
