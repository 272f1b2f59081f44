import { defineConfig } from 'vitest/config'

// One run for the whole workspace; each package brings its own project config (test DOM, JSX, timeouts).
export default defineConfig({
  test: {
    projects: [
      'shared',
      'collector',
      'collector/dashboard',
      'widget',
      'tests',
      'tests/backend',
      'tests/vitest.postgres.config.ts',
    ],
  },
})
