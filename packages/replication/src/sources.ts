// How plausible a frame is as an answer, judged by where it came from: a source (face and peer)
// that delivered valid entries lately is likely to send more; one whose frames keep matching
// nothing is likely sending garbage. The parking lot keeps frames by this rank.
import type { Clock, Face, PeerId } from '@tinyssb/core'
import { LruMap } from './lru.js'
import { SUSPECT_AFTER_FRAMES, USEFUL_SOURCE_MS } from './options.js'

/** Ranks of a source: higher is more plausible. */
export const RANK_SUSPECT = 0
export const RANK_UNKNOWN = 1
export const RANK_USEFUL = 2

interface Record {
  usefulAt: number
  wasted: number
  /** Frames of the source kept in the parking lot (they matched nothing yet), ever. */
  parked: number
}

/** What the node learnt about its sources, bounded (the least recently heard is forgotten). */
export class SourceRanks {
  readonly #clock: Clock
  readonly #sources: LruMap<string, Record>
  readonly #usefulMs: number
  readonly #suspectAfter: number

  constructor(clock: Clock, opts: { usefulMs?: number; suspectAfter?: number; maxSources?: number } = {}) {
    this.#clock = clock
    this.#usefulMs = opts.usefulMs ?? USEFUL_SOURCE_MS
    this.#suspectAfter = opts.suspectAfter ?? SUSPECT_AFTER_FRAMES
    this.#sources = new LruMap(opts.maxSources ?? 256)
  }

  #get(face: Face, peer: PeerId): Record {
    return this.#sources.getOrCreate(`${face.name}\n${peer}`, () => ({ usefulAt: Number.NEGATIVE_INFINITY, wasted: 0, parked: 0 }))
  }

  /** The source delivered a valid entry or an expected blob. */
  vouch(face: Face, peer: PeerId): void {
    const r = this.#get(face, peer)
    r.usefulAt = this.#clock.now()
    r.wasted = 0
  }

  /** A frame of the source matched nothing (dropped, or evicted from the parking lot unused). */
  wasted(face: Face, peer: PeerId): void {
    this.#get(face, peer).wasted++
  }

  /** A frame of the source was parked: it may be an answer that came before its predecessor. */
  parkedOne(face: Face, peer: PeerId): void {
    this.#get(face, peer).parked++
  }

  /**
   * Frames of the source parked so far (a counter: a replica compares it with the value at its last
   * round to learn whether its source sent frames it could not place yet, i.e. answers are coming).
   */
  parkedFrom(face: Face, peer: PeerId): number {
    return this.#get(face, peer).parked
  }

  /**
   * RANK_USEFUL for a source vouched for within USEFUL_SOURCE_MS; RANK_SUSPECT for one with
   * SUSPECT_AFTER_FRAMES frames wasted since it was last useful; RANK_UNKNOWN otherwise.
   */
  rank(face: Face, peer: PeerId): number {
    const r = this.#get(face, peer)
    if (this.#clock.now() - r.usefulAt <= this.#usefulMs) return RANK_USEFUL
    return r.wasted >= this.#suspectAfter ? RANK_SUSPECT : RANK_UNKNOWN
  }
}
