// A pseudo-terminal pair from socat (docs/CONTRIBUTING.md "Toolchain notes"): `serialport` opens each end like a real device.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireCommand } from '@tinyssb/testkit'

export interface PtyPair {
  readonly a: string
  readonly b: string
  /** Kills socat (the pty pair disappears) and removes the temp dir. */
  stop(): Promise<void>
}

/** Fails (never skips) when socat is missing, naming the install line. */
export function requireSocat(): void {
  requireCommand('socat', 'the KISS pseudo-terminal tests')
}

export async function ptyPair(timeoutMs = 5000): Promise<PtyPair> {
  requireSocat()
  const dir = mkdtempSync(join(tmpdir(), 'tinyssb-kiss-'))
  const a = join(dir, 'ttyA')
  const b = join(dir, 'ttyB')
  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + timeoutMs
  while (!(existsSync(a) && existsSync(b) && stderr.includes('starting data transfer loop'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill()
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`socat did not create the pty pair in ${timeoutMs} ms: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  let stopped: Promise<void> | undefined
  return {
    a,
    b,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
        await exited
        rmSync(dir, { recursive: true, force: true })
      })()
      return stopped
    },
  }
}
