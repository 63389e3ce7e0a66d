import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['client/__tests__/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
  },
});
