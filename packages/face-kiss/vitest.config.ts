import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'face-kiss', include: ['test/**/*.test.ts'] } })
