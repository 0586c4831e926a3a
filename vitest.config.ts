import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The engine and Chromium suites start real processes: two files at a time is what 2 cores take.
    // In CI one at a time: the timing bounds some tests hold (a process gone within 2 s, issue 3)
    // must not depend on what another suite does to the same engine at that moment.
    maxWorkers: process.env.CI ? 1 : 2,
  },
});
