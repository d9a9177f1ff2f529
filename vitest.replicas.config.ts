import { defineConfig } from "vitest/config";

/**
 * Suites that run a real redis-server or nginx: `npm run test:replicas` (scripts/require-binaries.ts
 * says in one line how to get them), never the default run, so `npm test` needs only Node.
 * .ci/run installs both and runs both.
 */
export const NEEDS_BINARIES = [
  "test/replicas/**/*.test.ts",
  "test/unit/store-redis.test.ts",
  "test/unit/conversations-redis.test.ts",
  "test/commands/doctor-redis.test.ts",
  "test/e2e/workers.test.ts",
  "test/surface/deploy-nginx.test.ts",
];

export default defineConfig({
  test: {
    include: NEEDS_BINARIES,
    globalSetup: ["test/setup/no-leftovers.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 2,
  },
});
