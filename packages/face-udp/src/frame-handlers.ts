import type { FaceStats } from './face-stats.js'
import { countDrop } from './face-stats.js'

type Handler = (frame: Uint8Array, from: string) => void

/** The onFrame subscribers of one face; a handler that throws never reaches the socket's event loop. */
export class FrameHandlers {
  readonly #handlers = new Set<Handler>()
  readonly #stats: FaceStats

  constructor(stats: FaceStats) {
    this.#stats = stats
  }

  add(handler: Handler): () => void {
    // A fresh wrapper, so subscribing one function twice gives two independent subscriptions.
    const wrapped: Handler = (frame, from) => handler(frame, from)
    this.#handlers.add(wrapped)
    return () => void this.#handlers.delete(wrapped)
  }

  clear(): void {
    this.#handlers.clear()
  }

  /** Hands a received frame to every handler (a snapshot: handlers may unsubscribe meanwhile). */
  dispatch(frame: Uint8Array, from: string): void {
    this.#stats.framesIn++
    this.#stats.bytesIn += frame.length
    for (const handler of [...this.#handlers]) {
      try {
        handler(frame, from)
      } catch {
        countDrop(this.#stats, 'FACE_HANDLER')
      }
    }
  }
}
