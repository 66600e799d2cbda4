import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'mvds', include: ['test/**/*.test.ts'] } })
