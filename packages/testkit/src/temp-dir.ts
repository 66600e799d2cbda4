import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh temporary directory and the function that removes it. */
export interface TempDir {
  readonly path: string
  /** Removes the directory and everything in it; calling it twice is fine. */
  cleanup(): Promise<void>
}

/**
 * Creates an empty directory under the OS temp dir, for one test.
 * @param prefix the start of the directory's name.
 * @example
 * let dir: TempDir
 * beforeEach(async () => { dir = await tempDir() })
 * afterEach(() => dir.cleanup())
 */
export async function tempDir(prefix = 'tinyssb-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) }
}
