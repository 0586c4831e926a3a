import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The engine and Chromium suites start real processes: two files at a time is what 2 cores take.
    maxWorkers: 2,
  },
});
