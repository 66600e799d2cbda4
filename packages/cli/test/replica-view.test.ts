// The views' wiring to engine events, with a fake node: a front hint's `progress` event gives a
// replica its target (remaining, ETA); `own-feed-behind` for the own feed blocks appends and is said
// once per new seq; events of other shapes or feeds are ignored.
import { toHex } from '@tinyssb/packet'
import { describe, expect, it } from 'vitest'
import { createProgress } from '../src/progress.js'
import { attachProgress, watchOwnFeed, type EventSource } from '../src/replica-view.js'

function fakeNode() {
  const fns = new Map<string, Array<(ev: unknown) => void>>()
  const node = {
    on: (name: string, fn: (ev: unknown) => void) => {
      fns.set(name, [...(fns.get(name) ?? []), fn])
      return () => fns.set(name, (fns.get(name) ?? []).filter((f) => f !== fn))
    },
  } as unknown as EventSource
  const emit = (name: string, ev: unknown) => fns.get(name)?.forEach((f) => f(ev))
  return { node, emit, count: (name: string) => fns.get(name)?.length ?? 0 }
}

const fid = new Uint8Array(32).fill(1)
const other = new Uint8Array(32).fill(2)

describe('engine events in the views', () => {
  it('a progress event with a target (a front hint) sets the replica\'s target; append events move it', () => {
    const { node, emit, count } = fakeNode()
    const lines: string[] = []
    const progress = createProgress({ mode: 'lines', out: (l) => lines.push(l) })
    const off = attachProgress(node, { progress, log: () => {}, names: () => 'nodeA', quiet: true })
    emit('progress', { fid, front: 10, target: 50, behind: 40, rate: 0 })
    emit('progress', { fid: 'not bytes', target: 99 })
    emit('append', { fid, seq: 11, mid: new Uint8Array(20), source: 'remote' })
    expect(progress.get(toHex(fid))).toMatchObject({ front: 11, target: 50, remaining: 39, entries: 1 })
    off()
    expect(count('progress') + count('append') + count('caught-up')).toBe(0)
  })

  it('own-feed-behind: only for the own feed, said once per new seq; a fork is said too', () => {
    const { node, emit } = fakeNode()
    const said: string[] = []
    const w = watchOwnFeed(node, fid, (m) => said.push(m))
    expect(w.behindAt()).toBeUndefined()
    emit('own-feed-behind', { fid: other, front: 3, seq: 9, source: 'hint', fork: false })
    expect(w.behindAt()).toBeUndefined()
    emit('own-feed-behind', { fid, front: 3, seq: 7, source: 'entry', fork: false })
    emit('own-feed-behind', { fid, front: 3, seq: 5, source: 'hint', fork: false })
    expect(w.behindAt()).toBe(7)
    expect(said).toEqual(['peers hold this node\'s own feed up to [7], beyond its log [3]: not appending (recover it first: "tinyssb log recover", or --force)'])
    emit('own-feed-behind', { fid, front: 3, seq: 3, source: 'entry', fork: true })
    expect(said.at(-1)).toMatch(/different entry \[3\].*forked already/)
    w.stop()
    emit('own-feed-behind', { fid, front: 3, seq: 20, source: 'hint', fork: false })
    expect(w.behindAt()).toBe(7)
  })
})
