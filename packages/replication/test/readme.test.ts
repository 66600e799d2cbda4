// The README example, extracted and run as it is.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { expect, it } from 'vitest'

it('the README example runs and replicates the entry', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!
  {
    // run as an .mjs next to the package so its imports resolve through node_modules
    const file = new URL(`../.readme-${process.pid}.mjs`, import.meta.url)
    writeFileSync(file, code)
    const logs: string[] = []
    const orig = console.log
    console.log = (...a: unknown[]) => void logs.push(a.join(' '))
    try {
      await import(file.href)
    } finally {
      console.log = orig
      rmSync(file)
    }
    expect(logs).toEqual(['replicated entry 1'])
  }
})
