import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { anchors, citationProblems, linkProblems, markdownProblems, slug, sourceProblems } from '../check-docs.mjs'

const roots: string[] = []
/** A scratch repository: { 'path': 'content' }. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tinyssb-docs-'))
  roots.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true })
})

describe('Markdown links', () => {
  const files = {
    'docs/PROTOCOL.md': '# Protocol\n\n## Faces: how frames travel\n\n## The WANT protocol\n',
    'vectors/README.md': '# Vectors\n',
    'packages/a/README.md': '# a\n',
  }

  it('accepts links to files, directories and headings in the repository, and web links', () => {
    const root = repo({
      ...files,
      'README.md':
        '[p](docs/PROTOCOL.md) [w](docs/PROTOCOL.md#the-want-protocol) [v](vectors/) [self](#top)\n' +
        '# Top\n[web](https://example.org/x.md) ![img](vectors/README.md "title")\n[ref]: packages/a/README.md\n',
      'packages/a/more.md': '[up](../../docs/PROTOCOL.md#faces-how-frames-travel) [b](<README.md>)\n',
    })
    expect(linkProblems(root, join(root, 'README.md'))).toEqual([])
    expect(linkProblems(root, join(root, 'packages/a/more.md'))).toEqual([])
  })

  it('finds a missing file, a link leaving the repository, an absolute path and a missing heading', () => {
    const root = repo({
      ...files,
      'README.md':
        '[gone](docs/NOPE.md)\n[out](../shared/PROTOCOL.md)\n[abs](/etc/passwd)\n[h](docs/PROTOCOL.md#no-such-heading)\n' +
        '[ref]: ../outside/x.md\n',
    })
    const problems = linkProblems(root, join(root, 'README.md'))
    expect(problems).toEqual([
      'README.md: (docs/NOPE.md): no such file or directory',
      'README.md: (../shared/PROTOCOL.md): leaves the repository',
      'README.md: (/etc/passwd): absolute path (write it relative to this file)',
      'README.md: (docs/PROTOCOL.md#no-such-heading): no heading #no-such-heading in docs/PROTOCOL.md',
      'README.md: (../outside/x.md): leaves the repository',
    ])
  })

  it('ignores links inside code', () => {
    const root = repo({ 'README.md': '```md\n[x](../shared/a.md)\n```\nand `[y](nope.md)` inline\n' })
    expect(linkProblems(root, join(root, 'README.md'))).toEqual([])
  })

  it('makes GitHub anchors, repeats numbered', () => {
    expect(slug('The message id (MID) and the next entry')).toBe('the-message-id-mid-and-the-next-entry')
    expect(slug('Extensions (tinyssb-ts)')).toBe('extensions-tinyssb-ts')
    expect([...anchors('# A\n## A\n```\n# not a heading\n```\n<a name="x"></a>\n')]).toEqual(['a', 'a-1', 'x'])
  })

  it('every Markdown file in this repository links only inside it', () => {
    expect(markdownProblems()).toEqual([])
  })
})

describe('citations in source comments', () => {
  const files = {
    'docs/PROTOCOL.md': '# Protocol\n## Faces: how frames travel\n',
    'docs/CONTRIBUTING.md': '# Contributing\n## Toolchain notes\n',
    'packages/a/package.json': '{}',
    'packages/a/README.md': '# a\n',
  }

  it('accepts files that exist, with headings they have', () => {
    const root = repo({
      ...files,
      'packages/a/src/x.ts':
        '// docs/PROTOCOL.md "Faces", see README.md and docs/CONTRIBUTING.md "Toolchain notes", 5\n' +
        'const x = [...md.matchAll(/```md/g)] // not a citation\n',
    })
    expect(citationProblems(root, join(root, 'packages/a/src/x.ts'))).toEqual([])
  })

  it('finds a bare PROTOCOL.md, a missing heading, issue numbers, pitfalls and ../shared', () => {
    const root = repo({
      ...files,
      'packages/a/src/x.ts': [
        '// PROTOCOL.md "Faces"',
        '// docs/PROTOCOL.md "Blobs"',
        '// Issue 3 benchmark',
        '// TOOLCHAIN pitfall 5',
        "const v = '../shared/vectors'",
      ].join('\n'),
    })
    const problems = citationProblems(root, join(root, 'packages/a/src/x.ts'))
    expect(problems).toHaveLength(5)
    expect(problems[0]).toMatch(/x\.ts:1: cites PROTOCOL\.md, which is not in the repository/)
    expect(problems[1]).toMatch(/x\.ts:2: docs\/PROTOCOL\.md has no heading "Blobs"/)
    expect(problems[2]).toMatch(/x\.ts:3: cites an issue number/)
    expect(problems[3]).toMatch(/x\.ts:4: cites a numbered pitfall/)
    expect(problems[4]).toMatch(/x\.ts:5: points outside the repository/)
  })

  it('every source file of this repository cites files that exist', () => {
    expect(sourceProblems()).toEqual([])
  })
})
