import { defineConfig } from 'vitest/config';

// Two cores here: keep workers few so watcher-timing tests are not starved.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The benches themselves are not tests (npm run bench); the bench library's own tests are.
    exclude: ['node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/protocol-check-setup.ts'],
  },
});
