import { defineConfig } from 'vitest/config'

// The backend contract against every engine: no browser, so files may run side by side; each file has
// its own databases.
export default defineConfig({
  test: {
    name: 'backend',
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
