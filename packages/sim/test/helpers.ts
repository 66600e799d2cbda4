// Test helpers: a scripted protocol (nodes send given frames at given times and record what they
// receive) for checking media, and a trace collector.
import { pathToFileURL } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import type { ProtocolAdapter } from '../src/index.js'
import type { TraceEvent } from '../src/trace.js'

/** One send of a scripted node: at `atMs`, `bytes` bytes (first byte = `mark`), optionally to one peer. */
export interface ScriptedSend {
  readonly atMs: number
  readonly bytes: number
  readonly mark?: number
  readonly to?: string
}

/** What a scripted node received: the frame's mark, when (ms), from whom. */
export interface Received {
  readonly node: string
  readonly mark: number
  readonly atMs: number
  readonly from: string
}

/**
 * A protocol whose nodes send the frames of `script[node]` and record what they receive into
 * `received`; errors of send() (e.g. FACE_MTU) go to `errors`.
 */
export function scriptAdapter(script: Record<string, ScriptedSend[]>): { adapter: ProtocolAdapter; received: Received[]; errors: unknown[] } {
  const received: Received[] = []
  const errors: unknown[] = []
  const adapter: ProtocolAdapter = {
    name: 'script',
    dataTags: ['data'],
    checkOptions: () => undefined,
    createRun: () => ({
      classify: (f) => (f[0] === 0xff ? 'control' : 'data'),
      createNode(ctx) {
        return {
          async start() {
            for (const face of ctx.faces) face.onFrame((frame, from) => received.push({ node: ctx.name, mark: frame[0]!, atMs: ctx.clock.now(), from }))
            for (const s of script[ctx.name] ?? []) {
              ctx.clock.setTimeout(() => {
                const frame = new Uint8Array(s.bytes).fill(s.mark ?? 1)
                for (const face of ctx.faces) face.send(frame, s.to).catch((err: unknown) => errors.push(err))
              }, s.atMs)
            }
          },
          append: async () => undefined,
          holds: () => false,
          stop: async () => undefined,
        }
      },
    }),
  }
  return { adapter, received, errors }
}

/** A sink that keeps every trace record. */
export function collect(): { sink: (ev: TraceEvent) => void; events: TraceEvent[] } {
  const events: TraceEvent[] = []
  return { sink: (ev) => void events.push(ev), events }
}

/** Seeds first..first+n-1. */
export function seedRange(n: number, first = 1): number[] {
  return Array.from({ length: n }, (_, i) => first + i)
}

/**
 * Opens a report page (a file) in headless Chromium, runs `check` on it, and returns every console
 * error or warning and page error seen meanwhile.
 */
export async function chromiumProblems(page: string, check: (tab: Page) => Promise<void>): Promise<string[]> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  try {
    const tab = await browser.newPage()
    const problems: string[] = []
    tab.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
    })
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await tab.goto(pathToFileURL(page).href)
    await check(tab)
    return problems
  } finally {
    await browser.close()
  }
}
