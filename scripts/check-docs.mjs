// Checks that the repository's documentation stays inside the repository:
// - every relative link in every Markdown file resolves to a file or directory in the repository
//   (and to a heading, when it names one), and no link leaves the repository;
// - every source comment that cites a Markdown file (`docs/PROTOCOL.md "Faces"`) cites one that
//   exists (and a heading it has), and none cites an issue number or a file outside the repository.
// Run by `npm test` (scripts/test/docs.test.ts); `node scripts/check-docs.mjs` prints the problems.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'
import { ROOT } from './run.mjs'

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.turbo', 'coverage', 'bench-results'])
const SOURCE_EXT = new Set(['.ts', '.mts', '.js', '.mjs', '.cjs'])

/**
 * Files under `root` whose name passes `keep`, skipping directories named in `skip` (by default
 * build output, dependencies and version control).
 */
export function walk(root, keep, skip = SKIP_DIRS) {
  const out = []
  const visit = (dir) => {
    for (const name of readdirSync(dir)) {
      if (skip.has(name)) continue
      const path = join(dir, name)
      if (statSync(path).isDirectory()) visit(path)
      else if (keep(name)) out.push(path)
    }
  }
  visit(root)
  return out.sort()
}

/** GitHub's anchor for a heading text: lower case, punctuation dropped, each space a dash. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** Markdown text without fenced code blocks and inline code spans (links there are not links). */
function stripCode(text) {
  return text
    .replace(/^( {0,3})(```|~~~)[^\n]*\n[\s\S]*?^\1?\2[^\n]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '')
}

/** The anchors a Markdown file offers: heading slugs (with GitHub's -1, -2 for repeats) and ids. */
export function anchors(text) {
  const seen = new Map()
  const out = new Set()
  const body = text.replace(/^( {0,3})(```|~~~)[^\n]*\n[\s\S]*?^\1?\2[^\n]*$/gm, '')
  for (const m of body.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  for (const m of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(m[1])
  return out
}

/** Every link target written in a Markdown text: inline links, images, reference definitions, href/src. */
export function linkTargets(text) {
  const body = stripCode(text)
  const out = []
  for (const m of body.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
    out.push(m[1].replace(/^<|>$/g, ''))
  }
  for (const m of body.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)) out.push(m[1].replace(/^<|>$/g, ''))
  for (const m of body.matchAll(/\b(?:href|src)="([^"]+)"/g)) out.push(m[1])
  return out
}

const inside = (root, path) => {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel))
}

/**
 * The broken links of one Markdown file.
 * @returns problems as "file: target: why" strings (paths relative to root)
 */
export function linkProblems(root, file) {
  const text = readFileSync(file, 'utf8')
  const problems = []
  const say = (target, why) => problems.push(`${relative(root, file)}: (${target}): ${why}`)
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
    const [pathPart, fragment] = target.split('#', 2)
    const path = decodeURIComponent(pathPart ?? '')
    if (path.startsWith('/')) {
      say(target, 'absolute path (write it relative to this file)')
      continue
    }
    const resolved = path === '' ? file : resolve(dirname(file), path)
    if (!inside(root, resolved)) {
      say(target, 'leaves the repository')
      continue
    }
    if (!existsSync(resolved)) {
      say(target, 'no such file or directory')
      continue
    }
    if (fragment && statSync(resolved).isFile() && extname(resolved) === '.md') {
      if (!anchors(readFileSync(resolved, 'utf8')).has(fragment)) say(target, `no heading #${fragment} in ${relative(root, resolved)}`)
    }
  }
  return problems
}

/** The broken links of every Markdown file in the repository. */
export function markdownProblems(root = ROOT) {
  return walk(root, (n) => n.endsWith('.md')).flatMap((f) => linkProblems(root, f))
}

/** The package directory (with a package.json) that holds `file`, or the root. */
function packageDir(root, file) {
  for (let d = dirname(file); inside(root, d) && d !== root; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d
  }
  return root
}

/**
 * The citations in one source file that point nowhere: a `*.md` file that exists neither relative
 * to the repository root, the file's package nor the file itself; a quoted heading the file does
 * not have (`docs/PROTOCOL.md "Faces"`); an issue number; a toolchain "pitfall N" of a file outside
 * the repository; a path outside the repository (../shared/...).
 */
export function citationProblems(root, file) {
  const problems = []
  const lines = readFileSync(file, 'utf8').split('\n')
  lines.forEach((line, i) => {
    const at = `${relative(root, file)}:${i + 1}`
    for (const m of line.matchAll(/(?<![\w./-])((?:\.{1,2}\/)*\w[\w.-]*(?:\/[\w.-]+)*\.md)\b(?:\s*,?\s*"([^"]+)")?/g)) {
      const cited = m[1]
      const candidates = [resolve(root, cited), resolve(packageDir(root, file), cited), resolve(dirname(file), cited)]
      const found = [...new Set(candidates)].filter((c) => inside(root, c) && existsSync(c) && statSync(c).isFile())
      if (found.length === 0) {
        problems.push(`${at}: cites ${cited}, which is not in the repository (e.g. docs/PROTOCOL.md, docs/CONTRIBUTING.md)`)
        continue
      }
      const heading = m[2]
      const hasHeading = (f) => [...anchors(readFileSync(f, 'utf8'))].some((a) => a.startsWith(slug(heading)))
      if (heading && !found.some(hasHeading)) {
        problems.push(`${at}: ${cited} has no heading "${heading}"`)
      }
    }
    if (/\b[Ii]ssue #?\d+/.test(line)) problems.push(`${at}: cites an issue number; say what it is about, or cite a file in docs/`)
    if (/\bpitfall \d+/i.test(line) && !/docs\/[\w.-]+\.md/.test(line)) problems.push(`${at}: cites a numbered pitfall without a file in docs/`)
    if (/\.\.\/shared\b/.test(line)) problems.push(`${at}: points outside the repository (../shared)`)
  })
  return problems
}

/** Source files the citation check reads: packages, examples, bench and scripts. */
export function sourceFiles(root = ROOT) {
  const dirs = ['packages', 'examples', 'bench', 'scripts'].map((d) => join(root, d)).filter((d) => existsSync(d))
  return dirs.flatMap((d) => walk(d, (n) => SOURCE_EXT.has(extname(n)) && !n.endsWith('.d.ts')))
}

/** Citation problems of every source file (the checker itself and its test are left out). */
export function sourceProblems(root = ROOT) {
  const self = [join(root, 'scripts', 'check-docs.mjs'), join(root, 'scripts', 'test', 'docs.test.ts')]
  return sourceFiles(root)
    .filter((f) => !self.includes(f))
    .flatMap((f) => citationProblems(root, f))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = [...markdownProblems(), ...sourceProblems()]
  for (const p of problems) console.log(p)
  console.log(problems.length ? `${problems.length} problems` : 'every link and citation resolves inside the repository')
  process.exit(problems.length ? 1 : 0)
}
