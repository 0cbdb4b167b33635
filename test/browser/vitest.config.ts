import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium through playwright-core against the real server; kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    env: { TZ: 'UTC' },
  },
});
