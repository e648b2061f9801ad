import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The tests that start Klaxon as a process run its build (dist/), as `npm start` does.
    globalSetup: ['test/support/build-once.ts'],
    pool: 'forks',
    // One test file per core. Vitest's default leaves a core free, which on two cores runs the files one at a
    // time, though most of an end-to-end file's time is spent waiting on Slack's simulator and child processes.
    maxWorkers: availableParallelism(),
  },
});
