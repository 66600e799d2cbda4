import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'face-udp', include: ['test/**/*.test.ts'] } })
