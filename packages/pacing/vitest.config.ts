import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'pacing', include: ['test/**/*.test.ts'] } })
