// The root's preinstall script. pnpm (through corepack) runs it and it passes; npm only gets this
// far when told to ignore the root's engines (`npm install --force`), and then it stops here.
// It also guards the root scripts that call installed tools (lint, test:unit, changeset): before
// set-up they say what to run instead of "turbo: not found".
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './run.mjs'

export const NPM_INSTALL_MESSAGE = [
  'This repository is a pnpm workspace: `npm install` does not work here.',
  '  npm test                 installs (pnpm through corepack), builds and runs every test',
  '  npm run demo             installs, builds and runs the demo',
  '  corepack pnpm install    installs only',
].join('\n')

export const NOT_INSTALLED_MESSAGE = [
  'The dependencies are not installed yet.',
  '  npm test                 installs (pnpm through corepack), builds and runs every test',
  '  npm run build            installs and builds',
  '  corepack pnpm install    installs only',
].join('\n')

/** The message to print and exit with, or undefined when all is well. */
export function check({ mode, userAgent = process.env.npm_config_user_agent ?? '', root = ROOT }) {
  if (mode === 'preinstall') return /^npm\//.test(userAgent) ? NPM_INSTALL_MESSAGE : undefined
  if (mode === 'installed') return existsSync(join(root, 'node_modules', '.bin', 'turbo')) ? undefined : NOT_INSTALLED_MESSAGE
  throw new Error(`unknown guard mode ${mode}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const message = check({ mode: process.argv[2] ?? 'preinstall' })
  if (message) {
    console.error(`\n${message}\n`)
    process.exit(1)
  }
}
