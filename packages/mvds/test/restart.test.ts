// A node on the disk stores restarts with its messages, its pending state, its peers and its
// epoch; a message is durable before its ACK goes out.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fakeClock, memoryHub, tempDir, type TempDir } from '@tinyssb/testkit'
import type { Face } from '@tinyssb/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMvdsNode, decodePayload, type MvdsNodeOptions } from '../src/index.js'
import { JOURNAL_FILE, openFsStores } from '../src/fs/index.js'
import { EPOCH_MS, GROUP, str, text } from './helpers.js'

let dir: TempDir
beforeEach(async () => {
  dir = await tempDir('mvds-restart-')
})
afterEach(() => dir.cleanup())

function link(clock = fakeClock()) {
  const hub = memoryHub({ clock })
  return { clock, hub, a: hub.face('a'), b: hub.face('b') }
}
const opts = (clock: ReturnType<typeof fakeClock>, face: Face, o: Partial<MvdsNodeOptions> = {}): MvdsNodeOptions => ({
  faces: [face],
  clock,
  epochMs: EPOCH_MS,
  backoff: 'linear',
  unixTime: () => 7n,
  ...o,
})

describe('restart on the disk stores', () => {
  it('keeps messages, pending state, peers and epoch; resumes sending', async () => {
    const data = join(dir.path, 'a')
    const l1 = link()
    const a1 = createMvdsNode(opts(l1.clock, l1.a, { stores: openFsStores({ dir: data, createIfMissing: true }) }))
    a1.addPeer(GROUP, { face: 'a', id: 'b' })
    const id = a1.append(GROUP, text('survives'))
    l1.clock.advance(5 * EPOCH_MS) // b is not listening: no ACK
    const epoch = a1.epoch
    const sendCount = a1.pending()[0]!.sendCount
    await a1.close()
    await l1.hub.close()

    const l2 = link()
    const a2 = createMvdsNode(opts(l2.clock, l2.a, { stores: openFsStores({ dir: data }) }))
    expect(a2.epoch).toBe(epoch)
    expect(a2.has(id)).toBe(true)
    expect(a2.pending()).toMatchObject([{ type: 'MESSAGE', sendCount }])
    a2.contact({ face: 'a', id: 'b' })
    const b = createMvdsNode(opts(l2.clock, l2.b))
    const got: string[] = []
    b.subscribe((d) => got.push(str(d.message.body)))
    l2.clock.advance(4 * EPOCH_MS)
    expect(got).toEqual(['survives'])
    expect(a2.pending()).toEqual([])
    await a2.close()
    await b.close()
  })

  it('a received message is in the journal before its ACK is sent', async () => {
    const data = join(dir.path, 'b')
    const l = link()
    const seen: boolean[] = []
    const journalHasBody = () => readFileSync(join(data, JOURNAL_FILE)).includes(Buffer.from('durable first'))
    const tapped: Face = {
      ...l.b,
      name: l.b.name,
      mtu: l.b.mtu,
      send(frame, to) {
        if (decodePayload(frame).acks.length > 0) seen.push(journalHasBody())
        return l.b.send(frame, to)
      },
      onFrame: (h) => l.b.onFrame(h),
      close: () => l.b.close(),
    }
    const a = createMvdsNode(opts(l.clock, l.a))
    const b = createMvdsNode(opts(l.clock, tapped, { stores: openFsStores({ dir: data, createIfMissing: true }) }))
    a.addPeer(GROUP, { face: 'a', id: 'b' })
    a.append(GROUP, text('durable first'))
    l.clock.advance(4 * EPOCH_MS)
    expect(seen).toEqual([true])
    await a.close()
    await b.close()
  })

  it('consistent delivery picks up after a restart: a child stored before the restart is delivered when its parent comes', async () => {
    const data = join(dir.path, 'b')
    const l1 = link()
    const a = createMvdsNode(opts(l1.clock, l1.a))
    const parent = a.append(GROUP, text('parent')) // b is no peer yet: never sent
    a.addPeer(GROUP, { face: 'a', id: 'b' })
    a.append(GROUP, text('child'), { parents: [parent] })
    const b1 = createMvdsNode(opts(l1.clock, l1.b, { delivery: 'consistent', stores: openFsStores({ dir: data, createIfMissing: true }) }))
    b1.addPeer(GROUP, { face: 'b', id: 'a' })
    const got1: string[] = []
    b1.subscribe((d) => got1.push(str(d.message.body)))
    a.tick()
    l1.clock.advance(0) // the child arrives; b1 has not yet asked for the parent
    expect(got1).toEqual([])
    expect(b1.pending().map((r) => r.type)).toEqual(['REQUEST'])
    await b1.close()
    await l1.hub.close()
    await a.close()

    const l2 = link()
    const a2 = createMvdsNode(opts(l2.clock, l2.a))
    a2.append(GROUP, text('parent'))
    a2.addPeer(GROUP, { face: 'a', id: 'b' })
    const b2 = createMvdsNode(opts(l2.clock, l2.b, { delivery: 'consistent', stores: openFsStores({ dir: data }) }))
    const got2: string[] = []
    b2.subscribe((d) => got2.push(str(d.message.body)))
    l2.clock.advance(6 * EPOCH_MS)
    expect(got2).toEqual(['parent', 'child'])
    await a2.close()
    await b2.close()
  })
})
