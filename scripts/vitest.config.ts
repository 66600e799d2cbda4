import { defineProject } from 'vitest/config'

// Tests of the root scripts (set-up, closing line, guards) and of the repository as a whole
// (Markdown links).
export default defineProject({ test: { name: 'scripts', include: ['test/**/*.test.ts'] } })
