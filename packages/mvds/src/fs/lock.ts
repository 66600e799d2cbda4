// One process per store directory: a LOCK file holding the owner's pid, created exclusively. A
// lock whose process is gone (a SIGKILLed node) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { MvdsError } from '../errors.js'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the directory's lock; returns the function that releases it. @throws MvdsError MVDS_STORE_IO when held. */
export function acquireLock(dir: string): () => void {
  const path = join(dir, 'LOCK')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(path, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new MvdsError('MVDS_STORE_IO', `mvds fs store: cannot lock ${dir}: ${(err as Error).message}`, { cause: err })
      }
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
      if (Number.isSafeInteger(pid) && pid > 0 && alive(pid)) {
        throw new MvdsError('MVDS_STORE_IO', `mvds fs store: ${dir} is in use by process ${pid}`)
      }
      rmSync(path, { force: true }) // stale: its process is gone
    }
  }
  throw new MvdsError('MVDS_STORE_IO', `mvds fs store: cannot lock ${dir}`)
}
