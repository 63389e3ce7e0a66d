import { defineConfig } from 'vitest/config';
import SummaryReporter from './summaryReporter.js';

export default defineConfig({
  test: {
    include: ['client/__tests__/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', new SummaryReporter()],
    restoreMocks: true,
  },
});
