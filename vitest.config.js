import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{js,ts}'],
    testTimeout: 60000,
    hookTimeout: 60000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.js'],
  },
});
