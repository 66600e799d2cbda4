// Generated topologies: `"topology": { "random": {...} }` expands into nodes and link media. The
// graph is connected (a random tree) with extra random links up to the mean degree asked for.
import { deriveSeed, mulberry32 } from '@tinyssb/core'

/** A random connected graph over `n` nodes with about `n · degree / 2` edges, seeded. */
export function randomGraph(n: number, degree: number, seed: number): Array<[number, number]> {
  const random = mulberry32(deriveSeed(seed, 'topology'))
  const edges: Array<[number, number]> = []
  const seen = new Set<number>()
  const add = (a: number, b: number): boolean => {
    const [lo, hi] = a < b ? [a, b] : [b, a]
    const k = lo * n + hi
    if (a === b || seen.has(k)) return false
    seen.add(k)
    edges.push([lo, hi])
    return true
  }
  for (let i = 1; i < n; i++) add(Math.floor(random() * i), i)
  const target = Math.min(Math.round((n * degree) / 2), (n * (n - 1)) / 2)
  // bounded: a dense target may take a few tries per edge, never forever
  for (let tries = 0; edges.length < target && tries < 100 * target; tries++) {
    add(Math.floor(random() * n), Math.floor(random() * n))
  }
  return edges
}
