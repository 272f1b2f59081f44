import { defineConfig } from 'vitest/config'

// The end-to-end suite drives one real Chromium per file and spawns real collector processes, so files
// run one at a time (two cores would otherwise starve the browsers) and timeouts leave room for start-up.
export default defineConfig({
  test: {
    name: 'tests',
    environment: 'node',
    include: ['**/*.test.ts'],
    // The backend contract is a project of its own (backend/vitest.config.ts).
    exclude: ['**/node_modules/**', 'backend/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
