import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the real Docker engine, real images, the real compose file.
// Files run one at a time: they share the engine and the stack's names.
export default defineConfig({
  test: {
    include: ['**/test/**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
