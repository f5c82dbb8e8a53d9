import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Tests that import core/*.ts see package.json's version, as the build does (core/version.ts).
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.{js,ts}'],
    testTimeout: 60000,
    hookTimeout: 60000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.js'],
  },
});
