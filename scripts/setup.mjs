// Installs the workspace (frozen lockfile, pnpm through corepack) and builds every package.
// `npm test`, `npm run demo` and `npm run bench` all start here, so a fresh clone needs nothing else.
import { must } from './run.mjs'

export function setup() {
  must('corepack', ['pnpm', 'install', '--frozen-lockfile', '--reporter=append-only'])
  must('turbo', ['run', 'build', '--output-logs=errors-only'])
}

if (import.meta.url === `file://${process.argv[1]}`) setup()
