// The serial face against serialport's mock binding (SerialPortMock.binding, never a separately
// imported MockBinding: docs/CONTRIBUTING.md "Toolchain notes", 7).
import { SerialPortMock } from 'serialport'
import { afterEach, describe, expect, it } from 'vitest'
import { kissEncode } from '../src/kiss-codec.js'
import { fakeClock } from '@tinyssb/core'
import { KISS_PACING } from '@tinyssb/pacing'
import * as pacing from '@tinyssb/pacing'
import * as faceKiss from '../src/index.js'
import { kissFace } from '../src/serial-face.js'

// Types from serialport's own copy (@serialport/binding-mock's exports map hides its .d.ts).
type MockBindingInterface = typeof SerialPortMock.binding
type MockPortBinding = Awaited<ReturnType<MockBindingInterface['open']>>
const mock: MockBindingInterface = SerialPortMock.binding
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** The mock binding, plus the port it opened (to inject bytes and read what was written). */
function capturing(): { binding: MockBindingInterface; port: () => MockPortBinding } {
  let opened: MockPortBinding | undefined
  const binding: MockBindingInterface = {
    ...mock,
    list: () => mock.list(),
    async open(o) {
      opened = await mock.open(o)
      return opened
    },
  }
  return { binding, port: () => opened ?? (() => { throw new Error('not open') })() }
}

describe('kissFace (mock binding)', () => {
  afterEach(() => mock.reset())

  it('writes KISS frames, decodes received bytes, and names the face', async () => {
    mock.createPort('/dev/ttyUSB0', { record: true })
    const { binding, port } = capturing()
    const face = await kissFace({ path: '/dev/ttyUSB0', binding, pacing: false })
    expect(face.name).toBe('kiss:/dev/ttyUSB0')
    expect(face.mtu).toBe(256)
    expect(face.addressable).toBe(false)
    expect(port().openOptions.baudRate).toBe(115200)
    const got: [string, string][] = []
    face.onFrame((f, from) => got.push([hex(f), from]))
    const out = Uint8Array.of(1, 0xc0, 0xdb, 2)
    await face.send(out)
    await face.send(out, 'kiss:/dev/ttyUSB0') // `to` is accepted: the one other end gets every frame
    expect(hex(port().recording)).toBe(hex(kissEncode(out)).repeat(2))
    port().emitData(Buffer.from([0x55, 0xc0, 0x07, 0xdb])) // garbage, then half a frame
    port().emitData(Buffer.from([0xdc, 0xc0, 0xc0, 0xdb, 0x00, 0xc0]))
    await until(() => got.length === 1 && face.stats.decoder.dropped.BAD_ESCAPE === 1)
    expect(got).toEqual([['07c0', 'kiss:/dev/ttyUSB0']])
    expect(face.stats).toMatchObject({ framesIn: 1, framesOut: 2, bytesIn: 10, bytesOut: 16 })
    expect(face.stats.decoder.dropped.GARBAGE).toBe(1)
    expect(face.stats.dropped).toEqual({ KISS_GARBAGE: 1, KISS_BAD_ESCAPE: 1 })
    await face.close()
    await face.close()
    expect(face.closed).toBe(true)
    await expect(face.send(out)).rejects.toMatchObject({ name: 'FaceError', code: 'FACE_CLOSED' })
  })

  it('uses the command byte both ways', async () => {
    mock.createPort('/dev/rnode', { record: true })
    const { binding, port } = capturing()
    const face = await kissFace({ path: '/dev/rnode', binding, pacing: false, commandByte: 0x00, baudRate: 9600 })
    expect(port().openOptions.baudRate).toBe(9600)
    const got: string[] = []
    face.onFrame((f) => got.push(hex(f)))
    await face.send(Uint8Array.of(0x42))
    expect(hex(port().recording)).toBe('c00042c0')
    port().emitData(Buffer.from('c00043c0c00644c0', 'hex')) // data, then a SETHARDWARE command
    await until(() => face.stats.decoder.dropped.COMMAND === 1)
    expect(got).toEqual(['43'])
    await face.close()
  })

  it('paces sends with the clock it is given (default KISS pacing is 0.5 s)', async () => {
    mock.createPort('/dev/paced', { record: true })
    const { binding, port } = capturing()
    const clock = fakeClock()
    const face = await kissFace({ path: '/dev/paced', binding, pacing: { ...KISS_PACING, clock, random: () => 0.5 } })
    for (let i = 0; i < 3; i++) await face.send(Uint8Array.of(i))
    expect(face.stats.pacing?.queued).toBe(3)
    // The first frame goes at once; the next waits on the fake clock once the write has settled.
    await until(() => face.stats.framesOut === 1 && clock.pending() === 1)
    clock.advance(524) // 500 + 0.5 · 50 − 1: not yet
    expect(face.stats.framesOut).toBe(1)
    clock.advance(1)
    await until(() => face.stats.framesOut === 2 && clock.pending() === 1)
    clock.advance(525)
    await until(() => face.stats.framesOut === 3)
    expect(hex(port().recording)).toBe('c000c0c001c0c002c0')
    expect(face.stats.pacing?.sent).toBe(3)
    await face.close()
  })

  it('counts a throwing handler as FACE_HANDLER and still calls the others', async () => {
    mock.createPort('/dev/handlers')
    const { binding, port } = capturing()
    const face = await kissFace({ path: '/dev/handlers', binding, pacing: false })
    face.onFrame(() => {
      throw new Error('handler failure (expected by the test)')
    })
    const got: string[] = []
    face.onFrame((_f, from) => got.push(from))
    port().emitData(Buffer.from('c001c0', 'hex'))
    await until(() => got.length === 1)
    expect(got).toEqual(['kiss:/dev/handlers'])
    expect(face.stats.dropped.FACE_HANDLER).toBe(1)
    expect(face.stats.handlerErrors).toBe(1)
    await face.close()
  })

  it('refuses frames over the mtu', async () => {
    mock.createPort('/dev/small')
    const face = await kissFace({ path: '/dev/small', binding: mock, maxFrame: 130, pacing: false })
    expect(face.mtu).toBe(130)
    await expect(face.send(new Uint8Array(131))).rejects.toMatchObject({ code: 'FACE_MTU' })
    await expect(face.send(new Uint8Array(0))).rejects.toMatchObject({ code: 'FACE_EMPTY' })
    await face.close()
  })

  it('closes the device again when the pacing options are bad', async () => {
    mock.createPort('/dev/badpacing')
    await expect(kissFace({ path: '/dev/badpacing', binding: mock, pacing: { minGapMs: -5 } })).rejects.toThrow(TypeError)
    const face = await kissFace({ path: '/dev/badpacing', binding: mock, pacing: false }) // not locked
    await face.close()
  })

  it('gives FACE_OPEN with the path for a missing device', async () => {
    const err = await kissFace({ path: '/dev/ttyNOPE', binding: mock }).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'FaceError', code: 'FACE_OPEN' })
    expect((err as Error).message).toContain('/dev/ttyNOPE')
    expect((err as Error).cause).toBeInstanceOf(Error)
  })

  it('closes cleanly, counting the error, when the device disappears', async () => {
    mock.createPort('/dev/unplug')
    const { binding, port } = capturing()
    const face = await kissFace({ path: '/dev/unplug', binding, pacing: { minGapMs: 1 } })
    await until(() => (port() as unknown as { pendingRead: unknown }).pendingRead !== null)
    const p = port() as unknown as { pendingRead: (err: Error) => void }
    p.pendingRead(new Error('EIO: device unplugged')) // what a real binding's read does
    await until(() => face.closed)
    expect(face.stats.errors).toBeGreaterThanOrEqual(1)
    expect(face.stats.lastError?.message).toContain('unplugged')
    await expect(face.send(Uint8Array.of(1))).rejects.toMatchObject({ code: 'FACE_CLOSED' })
    await face.close()
  })
})

it('re-exports the pacing names of @tinyssb/pacing (deprecated, for one release)', () => {
  expect(faceKiss.pacedFace).toBe(pacing.pacedFace)
  expect(faceKiss.loraAirtimeMs).toBe(pacing.loraAirtimeMs)
  expect(faceKiss.defaultPriority).toBe(pacing.defaultPriority)
  expect(faceKiss.KISS_PACING).toBe(pacing.KISS_PACING)
  expect(faceKiss.LORA_PACING).toBe(pacing.LORA_PACING)
  expect(faceKiss.PACED_QUEUE_MAX).toBe(pacing.PACED_QUEUE_MAX)
  expect(faceKiss.AIRTIME_WINDOW_MS).toBe(pacing.AIRTIME_WINDOW_MS)
})
