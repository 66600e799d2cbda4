import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'example-prodcons', include: ['test/**/*.test.ts'] } })
