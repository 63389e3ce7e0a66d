import { defineConfig } from 'vitest/config';
import SummaryReporter from './summaryReporter.js';

/** Browser tests: real headless Chromium, so slower and run apart from the unit tests. */
export default defineConfig({
  test: {
    include: ['e2e/browserSmoke.spec.ts'],
    environment: 'node',
    reporters: ['default', new SummaryReporter()],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
