import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    // The built serve keeps V8's code cache in the user's cache folder: tests keep theirs apart.
    env: { VIGIL_CACHE_DIR: join(tmpdir(), 'vigil-test-code-cache') },
    setupFiles: ['test/protocol-check-setup.ts'],
  },
});
