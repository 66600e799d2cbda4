// Shared pieces of the store compliance suites: feeds that sign real entries, error checks.
import { expect } from 'vitest'
import { createEntry, createPlainEntry, ENTRY_TYPE, genesisPosition, PAYLOAD_BYTES, toHex, type Entry, type LogStore, type Signer, type StoredEntry } from '@tinyssb/packet'
import { nodeEd25519 } from '@tinyssb/packet/node-crypto'

/** The signature scheme the suites sign with and hand to the store factory: ed25519 (node:crypto). */
export const suiteVerifier = nodeEd25519

export const hex = toHex

/** A feed that signs consecutive entries (plain48 unless asked) from genesis (a fixed seed: repeatable entries). */
export class TestFeed {
  readonly #signer: Signer
  readonly fid: Uint8Array
  #seq = 0
  #prev: Uint8Array
  constructor(seedByte: number) {
    this.#signer = nodeEd25519.signer(new Uint8Array(32).fill(seedByte))
    this.fid = this.#signer.publicKey
    this.#prev = genesisPosition(this.fid).prev
  }
  /** The next `n` entries, in order; plain48 unless `typeOf(seq)` names another type byte. */
  take(n: number, typeOf: (seq: number) => number = () => ENTRY_TYPE.PLAIN48): Entry[] {
    return Array.from({ length: n }, () => {
      const pos = { fid: this.fid, seq: this.#seq + 1, prev: this.#prev }
      const content = new TextEncoder().encode(`entry ${pos.seq}`)
      const typ = typeOf(pos.seq)
      const p48 = new Uint8Array(PAYLOAD_BYTES)
      p48.set(content)
      const e = typ === ENTRY_TYPE.PLAIN48 ? createPlainEntry(pos, content, this.#signer) : createEntry(pos, typ, p48, this.#signer)
      this.#seq = e.seq
      this.#prev = e.mid
      return e
    })
  }
}

/** Every item of an async iterable (Array.fromAsync needs Node 22). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** An error class the suite checks with instanceof (e.g. StoreError of @tinyssb/repo). */
export type ErrorClass = abstract new (...args: never[]) => Error

/** Expects `p` to reject with an Error with this `code` (and of `cls`, when given). */
export async function expectCode(p: Promise<unknown>, cls: ErrorClass | undefined, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err, `expected ${cls?.name ?? 'an Error'} ${code}`).toBeInstanceOf(cls ?? Error)
  expect((err as { code?: unknown }).code).toBe(code)
}

/** What a log check returns (`verify` of @tinyssb/repo's stores). */
export type LogCheckLike = { readonly ok: boolean; readonly entries?: number; readonly frontSeq?: number; readonly code?: string }

/** A LogStore, optionally with `verify(fid)` (a whole-log check), which the suite then checks too. */
export type LogStoreUnderTest = LogStore & { verify?(fid: Uint8Array): Promise<LogCheckLike> }

/** Expects the log of `fid` to hold exactly `wires`, from genesis; checks `verify` when the store has it. */
export async function expectLog(s: LogStoreUnderTest, fid: Uint8Array, wires: readonly Uint8Array[]): Promise<void> {
  if (s.verify) expect(await s.verify(fid)).toEqual({ ok: true, entries: wires.length, frontSeq: wires.length })
  const all: StoredEntry[] = await collect(s.entries(fid))
  expect(all.map((e) => hex(e.wire))).toEqual(wires.map((w) => hex(w)))
}
