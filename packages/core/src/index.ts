/**
 * @tinyssb/core — the seams every tinyssb-ts package meets at, and nothing else: the `Face`
 * transport interface with peer identities, the `Clock` (time and scheduling) with the one real
 * clock and a fake one, seeded randomness, the base error classes, and one traffic-counter
 * convention. No dependencies, no I/O, no Node imports: it runs in browsers and under a simulator.
 * @packageDocumentation
 */
export { TinySSBError, FaceError, errorCode, type FaceErrorCode } from './errors.js'
export { checkFrame, type Face, type PeerId } from './face.js'
export { soon, type Clock, type TimerHandle, type Random } from './clock.js'
export { systemClock, systemRandom } from './system.js'
export { fakeClock, type FakeClock } from './fake-clock.js'
export { EventQueue, type QueuedEvent } from './event-queue.js'
export { mulberry32, deriveSeed } from './prng.js'
export { newTrafficStats, countDrop, totalDropped, type TrafficStats } from './stats.js'
