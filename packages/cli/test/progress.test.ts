// Catch-up progress: plain lines (at most one per feed per second), JSON events, and the terminal
// bar (cli-progress on a fake terminal); rate, remaining and ETA from a fake clock.
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createProgress, progressLine, progressMode, type ProgressMode } from '../src/progress.js'

function setup(mode: ProgressMode) {
  let t = 1_000_000
  const lines: string[] = []
  let screen = ''
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        screen += String(chunk)
        cb()
      },
    }),
    { isTTY: true, columns: 120 },
  )
  const p = createProgress({ mode, out: (l) => lines.push(l), now: () => t, stream })
  return { p, lines, screen: () => screen, advance: (ms: number) => (t += ms) }
}

describe('progress', () => {
  it('mode: JSON wins, then quiet; a bar only when stdout and stderr are terminals', () => {
    expect(progressMode({ json: true, tty: true, errTty: true })).toBe('json')
    expect(progressMode({ quiet: true, tty: true, errTty: true })).toBe('off')
    expect(progressMode({ tty: true, errTty: true })).toBe('bar')
    expect(progressMode({ tty: true, errTty: false })).toBe('lines')
    expect(progressMode({ tty: false, errTty: true })).toBe('lines')
  })

  it('lines: a single live entry shows nothing; a catch-up one line per second with rate, remaining and ETA', () => {
    const { p, lines, advance } = setup('lines')
    p.track('f', 'nodeA', 10)
    p.update('f', 'nodeA', 11)
    expect(lines).toEqual([]) // one entry: the live edge, not a catch-up
    p.target('f', 'nodeA', 110)
    for (let seq = 12; seq <= 30; seq++) {
      advance(100) // 10 entries/s
      p.update('f', 'nodeA', seq)
    }
    expect(lines).toHaveLength(2) // at [12] (t+100 ms), then at [22] (t+1100 ms): 12 entries in 1.1 s
    expect(lines[1]).toBe('progress nodeA [22] +12 entries, 10.9/s, 88 remaining, ETA 9 s')
    advance(2000)
    p.finish('f')
    expect(lines.at(-1)).toBe('caught up: nodeA at [30] (+20 entries in 3.9 s)')
    expect(p.get('f')).toBeUndefined()
  })

  it('json: progress events with nulls where nothing is known, and a caught-up event', () => {
    const { p, lines, advance } = setup('json')
    p.track('f', 'nodeB', 0)
    advance(500)
    p.update('f', 'nodeB', 1)
    advance(500)
    p.update('f', 'nodeB', 2)
    const e = JSON.parse(lines[0]!)
    expect(e).toEqual({ event: 'progress', feed: 'f', name: 'nodeB', front: 2, entries: 2, rate: 2, target: null, remaining: null, etaSec: null })
    p.finish('f')
    expect(JSON.parse(lines[1]!)).toMatchObject({ event: 'caught-up', front: 2, entries: 2 })
  })

  it('bar: drawn on the terminal with remaining and ETA; lines pass through it; stop() clears it', async () => {
    const { p, lines, screen, advance } = setup('bar')
    p.track('f', 'nodeC', 0)
    p.target('f', 'nodeC', 100)
    for (let seq = 1; seq <= 50; seq++) {
      advance(20)
      p.update('f', 'nodeC', seq)
    }
    p.print('[nodeA 7] a line while the bar is up')
    await new Promise((r) => setTimeout(r, 250)) // cli-progress redraws on its own timer
    expect(screen()).toMatch(/\[#{12}-{12}\] nodeC \[50\] \+50 entries, 50\.0\/s, 50 remaining, ETA 1 s/)
    expect(screen()).toContain('[nodeA 7] a line while the bar is up\n')
    expect(lines).toEqual([]) // nothing went around the bar
    p.finish('f') // the last bar: cleared from the terminal, then the closing line
    expect(screen().endsWith('\x1b[0J')).toBe(true)
    expect(lines).toEqual(['caught up: nodeC at [50] (+50 entries in 1.0 s)'])
    p.stop()
  })

  it('progressLine without a target: no remaining, no ETA', () => {
    expect(progressLine({ feed: 'f', name: 'n', front: 5, entries: 1, rate: 0, target: undefined, remaining: undefined, etaSec: undefined })).toBe('n [5] +1 entry')
  })
})
