// The peer part of the Face compliance suite: stable PeerIds, send(frame, to), addressable faces.
import { expect, it } from 'vitest'
import { toHex } from '@tinyssb/packet'
import type { Face, PeerId } from '@tinyssb/core'
import { collect, frameOf, sleep } from './face-collect.js'

/** What the peer tests need from the suite. */
export interface PeerTestContext {
  /** The faces of the current test (c only when the pair has a third face). */
  readonly faces: () => { a: Face; b: Face; c: Face | undefined }
  readonly timeoutMs: number
  readonly quietMs: number
  readonly peerErrorCode: string | undefined
}

/** A PeerId no face uses. */
const NO_SUCH_PEER = 'tinyssb-compliance:no-such-peer'

/** Makes `a` hear one frame from each sender and returns the PeerId it named each with. */
async function hear(a: Face, senders: readonly Face[], timeoutMs: number, tag: number): Promise<PeerId[]> {
  const atA = collect(a, timeoutMs)
  try {
    for (const [i, sender] of senders.entries()) {
      await sender.send(frameOf(40, tag + i))
      await atA.waitFor(i + 1)
    }
    return atA.frames.map((r) => r.from)
  } finally {
    atA.off()
  }
}

/** Registers the peer tests in the current `describe`. */
export function peerTests(ctx: PeerTestContext): void {
  const { timeoutMs, quietMs } = ctx

  it('names each sender with one stable PeerId', async () => {
    const { a, b, c } = ctx.faces()
    const atB = collect(b, timeoutMs)
    await a.send(frameOf(30, 1))
    await atB.waitFor(1)
    await a.send(frameOf(30, 2))
    await atB.waitFor(2)
    const [first, second] = atB.frames.map((r) => r.from)
    expect(typeof first).toBe('string')
    expect(first?.length).toBeGreaterThan(0)
    expect(second).toBe(first)
    const fromB = await hear(a, [b, b], timeoutMs, 3)
    expect(fromB[1]).toBe(fromB[0])
    if (c) {
      const [fromB2, fromC] = await hear(a, [b, c], timeoutMs, 5)
      expect(fromB2).toBe(fromB[0])
      expect(fromC, 'two senders, one PeerId').not.toBe(fromB2)
    }
  })

  it('delivers send(frame, to) to the peer named by from', async () => {
    const { a, b } = ctx.faces()
    const [fromB] = await hear(a, [b], timeoutMs, 7)
    const atB = collect(b, timeoutMs)
    const frame = frameOf(120, 9)
    await a.send(frame, fromB)
    await atB.waitFor(1)
    expect(atB.hex()).toEqual([toHex(frame)])
  })

  it('addressable: send(frame, to) reaches to alone, an unknown peer is refused; broadcast: any to reaches everyone', async () => {
    const { a, b, c } = ctx.faces()
    if (!a.addressable) {
      // A broadcast face accepts any `to` and sends to every peer, as without it.
      const atB = collect(b, timeoutMs)
      const frame = frameOf(50, 13)
      await a.send(frame, NO_SUCH_PEER)
      await atB.waitFor(1)
      expect(atB.hex()).toEqual([toHex(frame)])
      return
    }
    if (ctx.peerErrorCode !== undefined) {
      await expect(a.send(frameOf(20, 1), NO_SUCH_PEER)).rejects.toMatchObject({ code: ctx.peerErrorCode })
    }
    if (!c) return
    const [fromB, fromC] = await hear(a, [b, c], timeoutMs, 11)
    const atB = collect(b, timeoutMs)
    const atC = collect(c, timeoutMs)
    const toB = frameOf(60, 21)
    const toC = frameOf(60, 22)
    await a.send(toB, fromB)
    await atB.waitForFrame(toB)
    await a.send(toC, fromC)
    await atC.waitForFrame(toC)
    await sleep(quietMs)
    // b and c may also hear each other's frames from just before (a broadcast medium): only the
    // frames sent by a are checked.
    expect(atB.hex()).not.toContain(toHex(toC))
    expect(atC.hex()).not.toContain(toHex(toB))
  })
}
