// The retry-with-backoff state machine for outstanding blob requests (time handed in).
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BlobRequestRetry, blobPointer, encodeSidechain, nextBlobPointer, packBlobRequests } from '../src/index.js'
import { hex } from './vectors.js'

const ptr = (i: number): Uint8Array => new Uint8Array(createHash('sha256').update(`p${i}`).digest().subarray(0, 20))
const sends = (r: BlobRequestRetry, now: number) => r.due(now).send.map((x) => [hex(x.ptr), x.credit])

describe('BlobRequestRetry', () => {
  it('asks at once, then after 1, 2, 4, 8 s… capped at 10 s, and gives up after maxAttempts', () => {
    const r = new BlobRequestRetry({ maxAttempts: 6 })
    expect(r.nextDue()).toBeUndefined()
    expect(r.want(ptr(1), 3, 100)).toBe(true)
    expect(r.want(ptr(1), 3, 100)).toBe(false) // already outstanding
    const times: number[] = []
    let t = 100
    for (;;) {
      const step = r.due(t)
      if (step.expired.length > 0) {
        expect(step.expired.map(hex)).toEqual([hex(ptr(1))])
        break
      }
      expect(step.send.map((x) => x.credit)).toEqual([3])
      times.push(t)
      expect(r.due(t).send).toEqual([]) // nothing twice at one instant
      t = r.nextDue()!
    }
    expect(times.map((x) => x - 100)).toEqual([0, 1000, 3000, 7000, 15000, 25000])
    expect(r.size).toBe(0)
    expect(r.nextDue()).toBeUndefined()
  })

  it('follows a chain as it arrives: follow-ups of the same credit are awaited, then asked for', () => {
    const { blobs } = encodeSidechain(new Uint8Array(700).fill(7)) // 7 blobs
    const r = new BlobRequestRetry({ maxCredit: 3, streamWaitMs: 500 })
    expect(blobs).toHaveLength(7)
    r.want(blobPointer(blobs[0]!), 7, 0)
    expect(sends(r, 0)).toEqual([[hex(blobPointer(blobs[0]!)), 3]])
    // blob 0 arrives: blob 1 is in flight, awaited for streamWaitMs
    expect(r.received(blobPointer(blobs[0]!), nextBlobPointer(blobs[0]!), 100)).toBe(true)
    expect(r.has(blobPointer(blobs[1]!))).toBe(true)
    expect(r.nextDue()).toBe(600)
    expect(sends(r, 599)).toEqual([])
    r.received(blobPointer(blobs[1]!), nextBlobPointer(blobs[1]!), 200)
    r.received(blobPointer(blobs[2]!), nextBlobPointer(blobs[2]!), 300)
    // the credit of 3 is used up: blob 3 is asked for at once, with credit for the 4 left (3)
    expect(r.nextDue()).toBe(300)
    expect(sends(r, 300)).toEqual([[hex(blobPointer(blobs[3]!)), 3]])
    for (let i = 3; i < 7; i++) r.received(blobPointer(blobs[i]!), nextBlobPointer(blobs[i]!), 400)
    expect(r.size).toBe(0) // the chain ended
  })

  it('a lost follow-up is asked for after streamWaitMs; an unknown blob is not ours', () => {
    const { blobs } = encodeSidechain(new Uint8Array(300).fill(1)) // 3 blobs
    const r = new BlobRequestRetry({ streamWaitMs: 2000 })
    r.want(blobPointer(blobs[0]!), undefined, 0)
    expect(sends(r, 0)).toEqual([[hex(blobPointer(blobs[0]!)), 16]])
    r.received(blobPointer(blobs[0]!), nextBlobPointer(blobs[0]!), 10)
    expect(sends(r, 2009)).toEqual([])
    expect(sends(r, 2010)).toEqual([[hex(blobPointer(blobs[1]!)), 16]])
    expect(r.received(ptr(99), undefined, 2011)).toBe(false)
    r.received(blobPointer(blobs[1]!), nextBlobPointer(blobs[1]!), 2020)
    r.received(blobPointer(blobs[2]!), nextBlobPointer(blobs[2]!), 2030) // next is zero: the end
    expect(r.size).toBe(0)
  })

  it('remaining reaches 0: stops even if the blob points further', () => {
    const r = new BlobRequestRetry()
    r.want(ptr(1), 1, 0)
    r.due(0)
    expect(r.received(ptr(1), ptr(2), 1)).toBe(true)
    expect(r.size).toBe(0)
    expect(r.want(ptr(3), 0, 0)).toBe(false)
    expect(r.want(new Uint8Array(20), 5, 0)).toBe(false)
  })

  it('bounded: the oldest pointer is given up beyond maxOutstanding; cancel forgets', () => {
    const r = new BlobRequestRetry({ maxOutstanding: 3 })
    for (let i = 0; i < 5; i++) r.want(ptr(i), 1, 0)
    expect(r.size).toBe(3)
    expect(r.nextDue()).toBe(Number.NEGATIVE_INFINITY)
    const step = r.due(0)
    expect(step.expired.map(hex)).toEqual([ptr(0), ptr(1)].map(hex))
    expect(step.send.map((x) => hex(x.ptr))).toEqual([ptr(2), ptr(3), ptr(4)].map(hex))
    r.cancel(ptr(3))
    expect(r.has(ptr(3))).toBe(false)
    expect(r.size).toBe(2)
  })

  it('jitter comes only from the random function handed in', () => {
    const r = new BlobRequestRetry({ random: () => 1, jitter: 0.5 })
    r.want(ptr(1), 1, 0)
    r.due(0)
    expect(r.nextDue()).toBe(1500)
    const s = new BlobRequestRetry({ random: () => 0, jitter: 0.5 })
    s.want(ptr(1), 1, 0)
    s.due(0)
    expect(s.nextDue()).toBe(500)
  })

  it('its records pack into frames', () => {
    const r = new BlobRequestRetry()
    for (let i = 0; i < 7; i++) r.want(ptr(i), 2, 0)
    expect(packBlobRequests(r.due(0).send).map((f) => f.length)).toEqual([117, 51])
  })
})
