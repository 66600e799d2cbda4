// A real crash for crash-safety tests: a child process is killed with SIGKILL mid-work.
import { spawn } from 'node:child_process'

/**
 * Runs `node script args…` and kills it with SIGKILL `ms` milliseconds after its first complete
 * line on stdout (the child says it is ready; pick `ms` from a seeded PRNG to make the moment of
 * the kill reproducible). Resolves with the complete lines the child printed; an unfinished last
 * line is left out (the kill may have cut it). Rejects when the child cannot start or exits any
 * other way than by the kill, quoting its stderr.
 */
export function runUntilKilled(script: string, args: readonly string[], ms: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let timer: NodeJS.Timeout | undefined
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      if (!timer && out.includes('\n')) timer = setTimeout(() => child.kill('SIGKILL'), ms)
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      if (signal !== 'SIGKILL') return reject(new Error(`child exited with ${code}: ${err}`))
      const lines = out.split('\n')
      lines.pop() // an unfinished last line does not count
      resolve(lines)
    })
  })
}
