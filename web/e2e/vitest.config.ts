import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run from the repository root: `vitest run --config web/e2e/vitest.config.ts`.
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: repositoryRoot,
  test: {
    environment: 'node',
    include: ['web/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One real server and one browser at a time; the machine has two cores.
    fileParallelism: false,
  },
});
