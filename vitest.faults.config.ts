/**
 * The fault-injection suite (`npm run test:faults`, issue 16): kept out of `npm test`'s projects
 * because it runs for minutes. scripts/test-faults.mjs runs it and prints its one summary line.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/faults/**/*.faults.test.ts'],
    environment: 'node',
    globalSetup: ['tests/faults/support/global-setup.ts'],
    setupFiles: ['tests/setup/hermetic-hub-env.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One file at a time: the machines have two cores, and the timings of the races matter.
    fileParallelism: false,
  },
});
