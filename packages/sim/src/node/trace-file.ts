// A trace written to a file as JSON lines, synchronously in 64 KiB chunks: a run never yields to
// the event loop, so a stream would buffer the whole trace in memory.
import { closeSync, openSync, writeSync } from 'node:fs'
import { traceLine, type TraceSink } from '../trace.js'

const CHUNK = 64 * 1024

/** A trace sink writing JSON lines to `path` (created or truncated). Call close() at the end. */
export function traceFile(path: string): { sink: TraceSink; close(): void } {
  const fd = openSync(path, 'w')
  let buf = ''
  const flush = (): void => {
    if (buf.length > 0) writeSync(fd, buf)
    buf = ''
  }
  return {
    sink(ev) {
      buf += `${traceLine(ev)}\n`
      if (buf.length >= CHUNK) flush()
    },
    close() {
      flush()
      closeSync(fd)
    },
  }
}
