// The original demos' log style: "18:24:49.670 message", colored on a terminal (tinyssb/dbg.py).
import type { Io } from './io.js'

export const COLORS = { gray: 90, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const
export type Color = keyof typeof COLORS

export interface Logger {
  (color: Color, msg: string): void
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
}

/** A timestamped logger on `io.out`; colors only when `io.color` (a terminal without NO_COLOR). */
export function logger(io: Io, now: () => Date = () => new Date()): Logger {
  return (color, msg) => {
    const line = `${stamp(now())} ${msg}`
    io.out((io.color ?? io.tty) ? `\x1b[${COLORS[color]}m${line}\x1b[0m` : line)
  }
}
