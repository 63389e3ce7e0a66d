import { defineConfig } from 'vitest/config';
import SummaryReporter from './summaryReporter.js';

/** The two scenarios that mostly wait out a 60 s window: they run side by side, first. */
const WINDOWED = ['e2e/idle.spec.ts', 'e2e/fast-empty-backoff.spec.ts'];

const shared = {
  environment: 'node',
  testTimeout: 120_000,
  hookTimeout: 90_000,
} as const;

/**
 * The seed's seven scenarios plus the idle check, in headless Chromium against the real
 * finance service (each file starts its own; see e2e/support/stack.ts). The two 60-second
 * windows (idle, fast-empty) run together, as they only count requests; then the others run
 * one file at a time, since they measure latencies that parallel files would disturb.
 */
export default defineConfig({
  test: {
    reporters: ['default', new SummaryReporter()],
    projects: [
      {
        test: {
          ...shared,
          name: 'windows',
          include: WINDOWED,
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'scenarios',
          include: ['e2e/*.spec.ts'],
          exclude: ['e2e/browserSmoke.spec.ts', ...WINDOWED],
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
