import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'replication', include: ['test/**/*.test.ts'], setupFiles: ['../../scripts/seeded-random.ts'] } })
