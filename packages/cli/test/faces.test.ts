// openFaces paces UDP faces with @tinyssb/pacing (no face-kiss needed), including frames larger
// than one LoRa packet under a duty-cycle budget.
import { createSocket } from 'node:dgram'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { PacedFace } from '@tinyssb/pacing'
import type { Face } from '@tinyssb/core'
import { openFaces } from '../src/faces.js'

describe('openFaces', () => {
  const open: Face[] = []
  const sink = createSocket('udp4')
  afterEach(async () => {
    await Promise.all(open.splice(0).map((f) => f.close()))
  })

  it('paces UDP faces with --pace and --duty-cycle; large frames count as several LoRa packets', async () => {
    await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve))
    const port = (sink.address() as AddressInfo).port
    const got: number[] = []
    sink.on('message', (m) => got.push(m.length))
    try {
      const [face] = await openFaces({ udp: [`127.0.0.1/${port}`], paceMs: 5, dutyCycle: 10 })
      open.push(face!)
      const paced = face as PacedFace
      expect(paced.stats).toMatchObject({ sent: 0, queued: 0 })
      await paced.send(new Uint8Array(1000)) // > 255 bytes: estimated as 4 LoRa packets, not dropped
      await paced.send(new Uint8Array(120))
      const end = Date.now() + 3000
      while (got.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
      expect(got).toEqual([1000, 120])
      expect(paced.stats.dropped.AIRTIME).toBe(0)
      expect(paced.stats.airtimeMs).toBeGreaterThan(0)
    } finally {
      sink.close()
    }
  })

  it('leaves UDP faces unpaced without --pace or --duty-cycle', async () => {
    const [face] = await openFaces({ udp: ['127.0.0.1/9'] })
    open.push(face!)
    expect('queueLength' in face!).toBe(false)
    expect(face!.name).toBe('udp:127.0.0.1:9')
  })
})
