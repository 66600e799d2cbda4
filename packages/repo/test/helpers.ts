// Test helpers: the poc-01 vectors (vectors/ at the repository root), temp dirs, and feeds that sign real entries.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import {
  createChainEntry,
  createPlainEntry,
  genesisPosition,
  type Entry,
  type Signer,
} from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'
import { afterEach } from 'vitest'

/** One file of the poc-01 vectors (vectors/ at the repository root; TINYSSB_VECTORS overrides). */
export { loadVectors } from '@tinyssb/testkit'

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
export const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'))
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A fresh temp dir per call, removed after the current test. */
const dirs: string[] = []
export function tempDir(prefix = 'tinyssb-repo-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}
/** Registers the afterEach that removes every temp dir made by {@link tempDir}. */
export function cleanTempDirs(): void {
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
}

/** Every file under `root` as { relative path: hex bytes }. */
export function filesUnder(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    if (!existsSync(d)) return
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out[relative(root, p)] = hex(new Uint8Array(readFileSync(p)))
    }
  }
  walk(root)
  return out
}

/** A feed that signs consecutive entries from genesis (or from a given front). */
export class Feed {
  readonly signer: Signer
  readonly fid: Uint8Array
  seq = 0
  prev: Uint8Array
  constructor(seed: Uint8Array | number) {
    const s = typeof seed === 'number' ? new Uint8Array(32).fill(seed) : seed
    this.signer = nodeEd25519.signer(s)
    this.fid = this.signer.publicKey
    this.prev = genesisPosition(this.fid).prev
  }
  /** The next plain48 entry (does not advance: call {@link advance} once it is used). */
  plain(payload: Uint8Array = utf8(`entry ${this.seq + 1}`)): Entry {
    return createPlainEntry({ fid: this.fid, seq: this.seq + 1, prev: this.prev }, payload, this.signer)
  }
  chain(content: Uint8Array): { entry: Entry; blobs: Uint8Array[] } {
    return createChainEntry({ fid: this.fid, seq: this.seq + 1, prev: this.prev }, content, this.signer)
  }
  advance(e: Entry): Entry {
    this.seq = e.seq
    this.prev = e.mid
    return e
  }
  /** `n` consecutive plain entries, advancing the feed. */
  take(n: number): Entry[] {
    return Array.from({ length: n }, () => this.advance(this.plain()))
  }
}

export const verifier = nodeEd25519

/** Every item of an async iterable (Array.fromAsync needs Node 22). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
