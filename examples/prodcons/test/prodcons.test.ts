import { expect, it } from 'vitest'
import { run } from '../src/prodcons.js'

it('the tutorial replicates every entry over loopback UDP, then a live one', async () => {
  const lines: string[] = []
  const held = await run(12, (l) => lines.push(l))
  expect(held).toBe(13)
  expect(lines.filter((l) => l.startsWith('consumer got')).length).toBe(13)
}, 20_000)
