// The "many feeds" node directory: F feeds (default 10 000) × E entries (default 100) of signed
// plain48 entries in one node's _logs, generated on every core and cached in os.tmpdir() by its
// parameters (never committed; delete the directory to regenerate). Feed k's seed is
// sha256("tinyssb-bench-feed-" + k), so any script can name a feed.
// usage: node many-feeds-data.mjs [feeds] [entries]   (prints the node directory)
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { createPlainEntry, genesisPosition } from '@tinyssb/packet'
import { ed25519 } from '@tinyssb/packet/ed25519'
import { fsLogStore } from '@tinyssb/repo'

/** Bump when the layout or the content changes: old caches are then ignored. */
const FORMAT = 1

/** The seed of feed `k`. */
export const feedSeed = (k) => new Uint8Array(createHash('sha256').update(`tinyssb-bench-feed-${k}`).digest())

/** Where the data for these parameters lives (the node directory is `${root}/node`). */
export const cacheRoot = (feeds, entries) => join(tmpdir(), `tinyssb-bench-many-v${FORMAT}-${feeds}x${entries}`)

/**
 * The node directory holding `feeds` × `entries`, generated once (on worker threads) and reused.
 * @returns `{ dir, feeds, entries, generatedSeconds, cached }`.
 */
export async function manyFeedsData({ feeds = 10_000, entries = 100, onProgress } = {}) {
  const root = cacheRoot(feeds, entries)
  const marker = join(root, 'done.json')
  const dir = join(root, 'node')
  if (existsSync(marker)) return { dir, ...JSON.parse(readFileSync(marker, 'utf8')), cached: true }
  rmSync(root, { recursive: true, force: true }) // a run that was cut short
  mkdirSync(join(dir, '_logs'), { recursive: true })
  const t0 = performance.now()
  const threads = Math.max(1, availableParallelism())
  const done = new Array(threads).fill(0)
  await Promise.all(
    Array.from({ length: threads }, (_, w) => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { dir, feeds, entries, w, threads } })
      worker.on('message', (n) => {
        done[w] = n
        onProgress?.(done.reduce((a, b) => a + b, 0), feeds)
      })
      return new Promise((resolve, reject) => {
        worker.on('error', reject)
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator thread ${w} exited with ${code}`))))
      })
    }),
  )
  const info = { feeds, entries, generatedSeconds: (performance.now() - t0) / 1000, threads }
  writeFileSync(marker, JSON.stringify(info))
  return { dir, ...info, cached: false }
}

/** A generator thread: feeds w, w + threads, … written through the store (signatures not re-checked). */
async function generate({ dir, feeds, entries, w, threads }) {
  const trust = { verify: () => true } // these entries were just signed here; the DMX chain is still checked
  const logs = await fsLogStore({ dir, verifier: trust })
  let made = 0
  for (let k = w; k < feeds; k += threads) {
    const signer = ed25519.signer(feedSeed(k))
    const fid = signer.publicKey
    let pos = genesisPosition(fid)
    const wires = []
    for (let i = 1; i <= entries; i++) {
      const e = createPlainEntry(pos, new TextEncoder().encode(`feed ${k} entry ${i}`), signer)
      wires.push(e.wire)
      pos = { fid, seq: i + 1, prev: e.mid }
    }
    await logs.create(fid)
    await logs.appendMany(fid, 1, wires)
    if (++made % 100 === 0) parentPort.postMessage(made)
  }
  parentPort.postMessage(made)
  await logs.close()
}

if (!isMainThread && workerData?.dir) await generate(workerData)
else if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  const [feeds = 10_000, entries = 100] = process.argv.slice(2).map(Number)
  let last = 0
  const r = await manyFeedsData({
    feeds,
    entries,
    onProgress: (n, total) => {
      if (performance.now() - last < 5000) return
      last = performance.now()
      console.log(`  generated ${n} of ${total} feeds`)
    },
  })
  console.log(`${r.dir} (${r.feeds} feeds × ${r.entries} entries, ${r.cached ? 'cached' : `generated in ${r.generatedSeconds.toFixed(1)} s`})`)
}
