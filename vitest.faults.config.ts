// `npm run test:faults`: the heavier fault-injection cases (test/**/*.faults.ts), kept out of `npm test` for time.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.faults.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
