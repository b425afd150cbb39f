import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One real PostgreSQL for the run; each test file takes a database of its own from it.
    globalSetup: ['tests/support/postgres-global.ts'],
  },
});
