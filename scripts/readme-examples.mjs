// The examples of a README: its ```ts blocks. A block whose info string has a second word
// (```ts sketch) is a shape or a fragment that names the reader's own code, not an example.
// A block that starts with a `// <name>.test.ts` comment is a vitest test file.

/**
 * @param {string} markdown
 * @returns {{ index: number, code: string, vitest: boolean }[]} index counts examples from 1
 */
export function readmeExamples(markdown) {
  const out = []
  for (const m of markdown.matchAll(/^```ts[ \t]*\n([\s\S]*?)^```[ \t]*$/gm)) {
    const code = m[1]
    out.push({ index: out.length + 1, code, vitest: /^\/\/ [\w.-]+\.test\.ts\b/.test(code) })
  }
  return out
}
