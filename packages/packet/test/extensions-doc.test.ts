// The worked examples of the extension frames in docs/ are rebuilt here, so the text cannot drift
// from the code. Each example sits under a marker `<!-- example:NAME -->` followed by a ```text
// block, in any file of docs/ (docs/extensions.md, or docs/PROTOCOL.md once merged there).
// UPDATE_DOC_EXAMPLES=1 rewrites the blocks from the code instead of comparing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { nodeEd25519 } from '../src/ed25519-node.js'
import {
  BLOB_REQUEST_MAX_BLOBS,
  blobPointer,
  bundleWantRecord,
  createPlainEntry,
  decodeBundle,
  decodeBlobRequest,
  decodeFrontHint,
  decodeWant,
  encodeBundle,
  encodeFrontHint,
  encodeWant,
  encodeSidechain,
  genesisPosition,
  isBundleWantRecord,
  packBlobRequests,
  planBlobRequests,
  wantDmx,
  type Entry,
} from '../src/index.js'
import { hex, utf8 } from './vectors.js'

const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url))
const pad = (s: string, n: number): string => s.padEnd(n)
const wrap = (h: string): string[] => h.match(/.{1,96}/g)!

/** The blob request example: two chains, one missing its tail, one missing everything. */
async function blobRequestExample(): Promise<string> {
  const a = encodeSidechain(utf8('tinySSB '.repeat(50))) // 400 bytes: 4 blobs
  const b = encodeSidechain(utf8('chained credit '.repeat(13))) // 195 bytes: 2 blobs
  const held = new Map([[hex(blobPointer(a.blobs[0]!)), a.blobs[0]!]])
  const plan = await planBlobRequests([{ payload48: a.payload48 }, { payload48: b.payload48 }], (p) => held.get(hex(p)))
  const frames = packBlobRequests(plan.records)
  expect(frames).toHaveLength(1)
  const frame = frames[0]!
  const granted = decodeBlobRequest(frame).granted
  const lines = [
    `chain A: 400 content bytes, ${a.blobs.length} blobs; blob 0 is held, blobs 1..3 are missing`,
    `chain B: 195 content bytes, ${b.blobs.length} blobs; none is held`,
    `planBlobRequests → ${plan.records.map((r) => `(${hex(r.ptr).slice(0, 8)}…, credit ${r.credit})`).join(', ')}`,
    '',
    `frame, ${frame.length} bytes:`,
    `${pad(hex(frame.subarray(0, 7)), 46)}dmx = sha256("tinyssb-v0" ‖ "blobs")[0:7]`,
  ]
  for (let o = 7, i = 1; o < frame.length; o += 22, i++) {
    const credit = (frame[o + 20]! << 8) | frame[o + 21]!
    lines.push(`${pad(`${hex(frame.subarray(o, o + 20))} ${hex(frame.subarray(o + 20, o + 22))}`, 46)}record ${i}: ptr ‖ credit ${credit}`)
  }
  lines.push('', ...wrap(hex(frame)), '')
  lines.push(`answer: ${granted} blobs (${granted * 120} bytes, ${(granted * 120 / frame.length).toFixed(1)} bytes per byte asked;`)
  lines.push(`        a frame never gets more than ${BLOB_REQUEST_MAX_BLOBS} blobs, ${BLOB_REQUEST_MAX_BLOBS * 120} bytes):`)
  const answer = [...a.blobs.slice(1, 4).map((x, i) => ['A', i + 1, x] as const), ...b.blobs.map((x, i) => ['B', i, x] as const)]
  for (const [chain, i, blob] of answer) lines.push(`  blob ${i} of chain ${chain}: ptr ${hex(blobPointer(blob))}, next ${hex(blob.subarray(100))}`)
  return lines.join('\n')
}

/** The feed of the front hint and bundle examples: seed 01 × 32, plain entries "entry 1" … "entry 3". */
function threeEntries(): { fid: Uint8Array; log: Entry[] } {
  const signer = nodeEd25519.signer(new Uint8Array(32).fill(1))
  const fid = signer.publicKey
  const log: Entry[] = []
  let prev = genesisPosition(fid).prev
  for (let seq = 1; seq <= 3; seq++) {
    log.push(createPlainEntry({ fid, seq, prev }, utf8(`entry ${seq}`), signer))
    prev = log[seq - 1]!.mid
  }
  return { fid, log }
}

/** The front hint example: a feed of 3 entries; the hint names entry 3. */
function frontHintExample(): string {
  const { fid, log } = threeEntries()
  const frame = encodeFrontHint([{ fid, seq: 3, mid: log[2]!.mid }])
  expect(decodeFrontHint(frame)).toHaveLength(1)
  return [
    'feed: ed25519 seed 01 × 32, plain entries "entry 1", "entry 2", "entry 3"',
    '',
    `frame, ${frame.length} bytes:`,
    `${pad(hex(frame.subarray(0, 7)), 66)}dmx = sha256("tinyssb-v0" ‖ "tinyssb-ts/front")[0:7]`,
    `${pad(hex(frame.subarray(7, 39)), 66)}fid`,
    `${pad(hex(frame.subarray(39, 43)), 66)}seq 3`,
    `${pad(hex(frame.subarray(43, 63)), 66)}mid of entry 3`,
    '',
    ...wrap(hex(frame)),
  ].join('\n')
}

/** The bundle example: a WANT for entries 2 and 3 with the marker record, answered with one bundle. */
function bundleExample(): string {
  const { fid, log } = threeEntries()
  const want = encodeWant(wantDmx(fid), [{ fid, seq: 2 }, { fid, seq: 3 }, bundleWantRecord()])
  expect(decodeWant(want).records.map(isBundleWantRecord)).toEqual([false, false, true])
  const frame = encodeBundle([log[1]!.wire, log[2]!.wire])
  expect(decodeBundle(frame).map(hex)).toEqual([log[1]!.wire, log[2]!.wire].map(hex))
  const short = (b: Uint8Array): string => `${hex(b.subarray(0, 8))}…`
  const entryLine = (o: number, seq: number): string =>
    `${String(o).padStart(6)}  ${pad(`${hex(frame.subarray(o, o + 7))} ${hex(frame.subarray(o + 7, o + 8))} ${short(frame.subarray(o + 8))}`, 40)}entry ${seq}, 120 bytes as in its log: dmx ‖ type ‖ payload ‖ signature`
  return [
    'feed: ed25519 seed 01 × 32, plain entries "entry 1", "entry 2", "entry 3"',
    '',
    `the WANT for seqs 2 and 3, with the marker record, ${want.length} bytes:`,
    `${String(0).padStart(6)}  ${pad(hex(want.subarray(0, 7)), 40)}dmx = sha256(fid ‖ "want")[0:7]`,
    `${String(7).padStart(6)}  ${pad(`${short(want.subarray(7, 39))} ${hex(want.subarray(39, 43))}`, 40)}fid (32) ‖ seq 2`,
    `${String(43).padStart(6)}  ${pad(`${short(want.subarray(43, 75))} ${hex(want.subarray(75, 79))}`, 40)}fid (32) ‖ seq 3`,
    `${String(79).padStart(6)}  ${pad(`00 × 32 ${hex(want.subarray(111, 115))}`, 40)}marker: fid all zero ‖ seq "bund"`,
    '',
    `the answer on a 'udp' face, one frame of ${frame.length} bytes:`,
    `${String(0).padStart(6)}  ${pad(hex(frame.subarray(0, 7)), 40)}dmx = sha256("tinyssb-v0" ‖ "tinyssb-ts/bundle")[0:7]`,
    entryLine(7, 2),
    entryLine(127, 3),
    '',
    ...wrap(hex(frame)),
  ].join('\n')
}

const MARKER = /<!-- example:([a-z-]+) -->\n```text\n([\s\S]*?)\n```/g

describe('worked examples in docs/', async () => {
  const examples: Record<string, string> = { 'blob-request': await blobRequestExample(), 'front-hint': frontHintExample(), bundle: bundleExample() }
  const files = readdirSync(docsDir).filter((f) => f.endsWith('.md')).map((f) => join(docsDir, f))

  if (process.env.UPDATE_DOC_EXAMPLES === '1') {
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const next = text.replace(MARKER, (all, name: string) => (name in examples ? `<!-- example:${name} -->\n\`\`\`text\n${examples[name]}\n\`\`\`` : all))
      if (next !== text) writeFileSync(file, next)
    }
  }

  it.each(Object.keys(examples))('%s: every copy in docs/ is what the code builds', (name) => {
    let found = 0
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(MARKER)) {
        if (m[1] !== name) continue
        found++
        expect(m[2], `${file}: example ${name}`).toBe(examples[name])
      }
    }
    expect(found, `no <!-- example:${name} --> block in docs/*.md`).toBeGreaterThan(0)
  })
})
