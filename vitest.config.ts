import { defineConfig } from 'vitest/config';

// `npm test`: unit tests and integration tests against real local tools
// (nginx, promtool, Chromium...). Anything that needs the Docker engine is an
// e2e test (`*.e2e.test.ts`) and runs with `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.e2e.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
