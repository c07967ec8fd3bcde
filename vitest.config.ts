import { defineConfig } from 'vitest/config';

// Unit tests (*.test.ts, no I/O) and integration tests (*.int.test.ts, a real database:
// PGlite by default, PostgreSQL when TEST_DATABASE_URL is set) run together in `npm test`.
// Browser journeys have their own config in web/e2e.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
